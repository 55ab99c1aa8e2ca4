import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** A module's URL as the child imports it: URLs as they are, paths resolved against the current directory. */
export function toModuleUrl(where: string | URL): string {
  if (where instanceof URL) return where.href;
  return /^[a-z][a-z0-9+.-]+:/i.test(where) ? where : pathToFileURL(path.resolve(where)).href;
}
