// What a sandboxed plugin may read unless its spec says otherwise: what it
// needs to load, no more. Not its app's root folder, where the app keeps its
// `.env` and the host's own sources: the module's folder, its package's
// manifest (Node reads it for the module's type), and the node_modules
// folders its bare imports resolve in. A file it imports from outside its
// folder is granted by `sandbox.read`, as the denial says: granting whatever
// the plugin's sources name would let a line of them grant the host's.
import { existsSync } from 'node:fs';
import path from 'node:path';

/** The nearest folder above `file` with a package.json, else its own folder. */
export function packageRoot(file: string): string {
  const start = path.dirname(file);
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return start;
  }
}

/** The paths a sandboxed plugin whose module is the file `module` reads by default. */
export function defaultReads(module: string): string[] {
  const folder = path.dirname(module);
  const reads = [folder];
  const manifest = path.join(packageRoot(module), 'package.json');
  if (existsSync(manifest)) reads.push(manifest);
  // Where Node looks for a bare import: node_modules beside the module and in every folder above it.
  for (let dir = folder; ; dir = path.dirname(dir)) {
    const modules = path.join(dir, 'node_modules');
    if (existsSync(modules)) reads.push(modules);
    if (path.dirname(dir) === dir) break;
  }
  return reads;
}
