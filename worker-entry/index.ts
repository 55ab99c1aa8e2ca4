// The module JailThread.start() forks: it marks this process as a thread's
// child and loads the library's one file, whose evaluation starts the
// child's runtime (src/child/main.ts); the runtime imports the thread's
// module when the init frame names it. The host passes that module's URL as
// argv[2] for a cold start, none for a spare (JailThread.prewarm()), and for
// a spare that preloads it (Subclass.prewarm()) the URL then '--spare'
// (src/host/process-wide/preload.ts). Everything this file does is paid for on every start.
import module from 'node:module';
import { fileURLToPath } from 'node:url';
import { loadWithCodeCache } from './code-cache.js';

// Where compiled code is kept between starts: not Node's default folder,
// which is shared by every user of the machine, who could plant entries
// there. NODE_COMPILE_CACHE chooses Node's (22.1+, for the thread's modules)
// and NODE_DISABLE_COMPILE_CACHE turns both off, as for any Node program.
// A sandboxed plugin may not write the folder and starts without it.
const cacheHome = process.env.XDG_CACHE_HOME || (process.env.HOME && `${process.env.HOME}/.cache`);
// Any value turns Node's off, so it turns both off.
const disabled = process.env.NODE_DISABLE_COMPILE_CACHE !== undefined || !cacheHome;
const { enableCompileCache } = module as { enableCompileCache?: (directory: string) => unknown };
if (!disabled && !process.env.NODE_COMPILE_CACHE) enableCompileCache?.(`${cacheHome}/jailthread/compile-cache`);

// A mark, not a comparison of paths: under --preserve-symlinks a symlinked
// install gives this file one path and the library another.
const [threadModule, role] = process.argv.slice(2);
const spare = role === '--spare' || threadModule === undefined;
const mark: { spare: boolean; preload: string | undefined; importer: unknown; keepCode?: (() => void) | undefined } = {
  spare,
  preload: role === '--spare' ? threadModule : undefined,
  // Resolved from this file's folder, which is the library's.
  importer: (specifier: string) => import(specifier),
};
(globalThis as Record<symbol, unknown>)[Symbol.for('jailthread.worker-entry')] = mark;

// The library before the thread's module, which a CommonJS module's
// require('jailthread') could not meet half loaded. Beside this file in dist/.
// It reads the mark as it runs, by which time the loader has said whether there is code to keep.
loadWithCodeCache(
  fileURLToPath(new URL('./jailthread.cjs', import.meta.url)),
  disabled ? undefined : `${cacheHome}/jailthread/code-cache`,
  (keep) => {
    mark.keepCode = keep;
  },
);
