import {
  closeSync,
  fstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire, Module } from 'node:module';
import path from 'node:path';
import { Script } from 'node:vm';

/** A cache file larger than this was not written by this code (the library's is ~1 MB); it is not read. */
const MAX_CACHE_BYTES = 32 * 2 ** 20;

/** FNV-1a: a cache key for the flags V8 checks, not a defence (V8 rejects data made under other flags). */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16);
}

function readBounded(file: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    return fstatSync(fd).size <= MAX_CACHE_BYTES ? readFileSync(fd) : undefined;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** Removes what earlier builds of the file left for this Node: a rebuilt or upgraded library leaves one file each time. */
function forgetOtherBuilds(folder: string, line: string, build: string): void {
  for (const entry of readdirSync(folder)) {
    if (entry.startsWith(line) && !entry.startsWith(line + build) && entry.endsWith('.v8'))
      unlinkSync(path.join(folder, entry));
  }
}

/**
 * Loads the CommonJS file `file` as require() would, into require's cache,
 * but compiled from V8's code cache in `folder` when one was kept for this
 * file, Node and flags. Node's own compile cache (22.1+) keeps only what V8
 * compiles before a module runs, its top level; the library's functions are
 * compiled lazily as a start first calls them, and those are most of its
 * compile time (`__init` and zod's constructors in a profile). Returns what
 * keeps the cache: called once a start has run the library's code, it
 * writes V8's data for every function compiled by then, unless the data it
 * was loaded from was accepted.
 */
export function loadWithCodeCache(file: string, folder: string | undefined): () => void {
  const source = readFileSync(file, 'utf8');
  const { size, mtimeMs } = statSync(file);
  const line = `${path.basename(file)}-${process.version}-${process.arch}-`;
  const build = `${size}-${Math.trunc(mtimeMs)}-`;
  // V8 refuses data made under other flags, which come from both places: a file per set of them, so
  // hosts that differ do not rewrite each other's at every start.
  const flags = `${process.execArgv.join('\0')}\0${process.env.NODE_OPTIONS ?? ''}`;
  const name = `${line}${build}${hash(flags)}.v8`;
  const cacheFile = folder === undefined ? undefined : path.join(folder, name);
  let cachedData = cacheFile === undefined ? undefined : readBounded(cacheFile);
  // The file calls its own wrapper with these names (scripts/build.js), so
  // the script is the file as it is: no wrapper of ours shifts its offsets.
  const script = new Script(source, { filename: file, cachedData });
  // Not held for the life of the process: only whether there was one counts from here.
  const hadCache = cachedData !== undefined;
  cachedData = undefined;
  const module = new Module(file);
  module.filename = file;
  const require = createRequire(file);
  require.cache[file] = module;
  const scope = { exports: module.exports, require, module, __filename: file, __dirname: path.dirname(file) };
  Object.assign(globalThis, scope);
  try {
    script.runInThisContext();
  } catch (error) {
    delete require.cache[file];
    throw error;
  } finally {
    for (const name of Object.keys(scope)) delete (globalThis as Record<string, unknown>)[name];
  }
  module.loaded = true;
  return () => {
    if (cacheFile === undefined || (hadCache && !script.cachedDataRejected)) return;
    const temporary = `${cacheFile}.${process.pid}`;
    try {
      mkdirSync(path.dirname(cacheFile), { recursive: true, mode: 0o700 });
      writeFileSync(temporary, script.createCachedData(), { mode: 0o600 });
      renameSync(temporary, cacheFile);
      forgetOtherBuilds(path.dirname(cacheFile), line, build);
    } catch {
      // A read-only, full or sandboxed home: the next start compiles again, and leaves no half file.
      try {
        unlinkSync(temporary);
      } catch {
        // Never made.
      }
    }
  };
}
