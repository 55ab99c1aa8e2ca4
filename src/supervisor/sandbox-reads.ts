// What a sandboxed plugin may read unless its spec says otherwise: what it
// needs to load, no more. Not its app's root folder, where the app keeps its
// `.env` and the host's own sources; the module's folder, its package's
// manifest (Node reads it for the module's type), the node_modules folders
// its bare imports resolve in, and the files its relative imports reach
// outside its folder.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** The files a relative-import scan looks at, at most: a plugin's own module graph is small. */
const MAX_SCANNED = 200;
/** A file larger than this is granted but not scanned: generated bundles import little relatively. */
const MAX_SCANNED_BYTES = 4 * 2 ** 20;

const SPECIFIERS = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"](\.{1,2}\/[^'"]*)['"]/g;
const SCRIPT = /\.(?:[cm]?js|[cm]?ts|jsx|tsx)$/;

const within = (file: string, folder: string): boolean => file.startsWith(folder + path.sep);

/** The nearest folder above `file` with a package.json, else its own folder. */
export function packageRoot(file: string): string {
  const start = path.dirname(file);
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return start;
  }
}

/** Files outside `folder` that `module` imports by relative path, followed through the files they import. */
function relativeImports(module: string, folder: string): string[] {
  const found: string[] = [];
  const seen = new Set([module]);
  const queue = [module];
  while (queue.length > 0 && seen.size <= MAX_SCANNED) {
    const file = queue.shift() as string;
    let text: string;
    try {
      if (statSync(file).size > MAX_SCANNED_BYTES) continue;
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const [, specifier] of text.matchAll(SPECIFIERS)) {
      const target = path.resolve(path.dirname(file), (specifier as string).split(/[?#]/)[0] as string);
      if (seen.has(target) || !existsSync(target)) continue;
      seen.add(target);
      if (!within(target, folder)) found.push(target);
      if (SCRIPT.test(target)) queue.push(target);
    }
  }
  return found;
}

/** The paths a sandboxed plugin whose module is the file `module` reads by default. */
export function defaultReads(module: string): string[] {
  const folder = path.dirname(module);
  const root = packageRoot(module);
  const reads = [folder, ...relativeImports(module, folder)];
  if (existsSync(path.join(root, 'package.json'))) reads.push(path.join(root, 'package.json'));
  // Where Node looks for a bare import: node_modules beside the module and in every folder above it.
  for (let dir = folder; ; dir = path.dirname(dir)) {
    const modules = path.join(dir, 'node_modules');
    if (existsSync(modules)) reads.push(modules);
    if (path.dirname(dir) === dir) break;
  }
  return reads;
}
