import { readFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import path from 'node:path';
import { Script } from 'node:vm';
import { readCache, writeCache } from './cache-file.js';

/** A hash of dist/jailthread.cjs, set by the build: a rebuilt library never meets an older build's code. */
declare const LIBRARY_HASH: string;

/** The names the library's file calls its own wrapper with, when it runs as a script (scripts/build.js). */
const SCOPE = Symbol.for('jailthread.module-scope');

/** FNV-1a of the flags V8 checks: a name for the file, not a defence (V8 rejects data made under other flags). */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16);
}

/**
 * Loads the CommonJS file `file` as require() would, into require's cache,
 * but compiled from V8's code cache in `folder` when one was kept for this
 * build of it, Node and V8 flags. Node's own compile cache (22.1+) keeps only
 * what V8 compiles before a module runs, its top level; the library's
 * functions are compiled lazily as a start first calls them, and those are
 * most of its compile time (`__init` and zod's constructors in a profile).
 * Before it runs the file, it hands `keeping` what keeps the cache, or
 * undefined when there is nothing to keep (no folder, or the data it was
 * loaded from was accepted): called once a start has run the library's code,
 * it writes V8's data for every function compiled by then.
 */
export function loadWithCodeCache(
  file: string,
  folder: string | undefined,
  keeping: (keep: (() => void) | undefined) => void,
): void {
  const source = readFileSync(file, 'utf8');
  // V8 refuses data made under other flags, which come from both places: a file per set of them, so
  // hosts that differ do not rewrite each other's at every start.
  const flags = `${process.execArgv.join('\0')}\0${process.env.NODE_OPTIONS ?? ''}`;
  const name = `${path.basename(file)}-${LIBRARY_HASH}-${process.version}-${process.arch}-${hash(flags)}.v8`;
  const cacheFile = folder === undefined ? undefined : path.join(folder, name);
  const cachedData = cacheFile === undefined ? undefined : readCache(cacheFile);
  const script = new Script(source, { filename: file, cachedData });
  const stale = cacheFile !== undefined && (cachedData === undefined || script.cachedDataRejected === true);
  keeping(
    stale
      ? () => {
          try {
            writeCache(cacheFile, script.createCachedData());
          } catch {
            // A read-only, full, shared or sandboxed cache folder: the next start compiles again.
          }
        }
      : undefined,
  );
  const module = new Module(file);
  module.filename = file;
  const require = createRequire(file);
  require.cache[file] = module;
  const global = globalThis as { [SCOPE]?: unknown[] };
  try {
    global[SCOPE] = [module.exports, require, module, file, path.dirname(file)];
    script.runInThisContext();
  } catch (error) {
    delete require.cache[file];
    throw error;
  } finally {
    delete global[SCOPE];
  }
  module.loaded = true;
}
