import path from 'node:path';
import { pathToFileURL } from 'node:url';

const SCHEME = /^[a-z][a-z0-9+.-]+:/i;

/**
 * Whether `where` is a path that is not absolute. The library refuses those for modules and sandbox paths:
 * the caller's own folder cannot be known without its URL, and the host's current directory depends on
 * where the host was started from, so the same code would load or grant different files.
 */
export const isRelativePath = (where: string | URL): boolean =>
  typeof where === 'string' && !SCHEME.test(where) && !path.isAbsolute(where);

/** The fix a refused relative path's error gives: the path made absolute against the caller's file. */
export const anchorHint = (where: string, kind: 'module' | 'path'): string => {
  const relative = where.startsWith('.') ? where : `./${where}`;
  return kind === 'module'
    ? `new URL('${relative}', import.meta.url) for a file beside the calling module, or an absolute path`
    : `path.join(import.meta.dirname, '${relative}') for a path beside the calling module, or another absolute path`;
};

/** A module's URL as the child imports it: URLs as they are, paths resolved against the current directory. */
export function toModuleUrl(where: string | URL): string {
  if (where instanceof URL) return where.href;
  return SCHEME.test(where) ? where : pathToFileURL(path.resolve(where)).href;
}
