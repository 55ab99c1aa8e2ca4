// The module JailThread.start() forks: it marks this process as a thread's
// child and imports the library's one file, whose evaluation starts the
// child's runtime (src/child/main.ts); the runtime imports the thread's
// module when the init frame names it. The host passes that module's URL as
// argv[2] for a cold start, none for a spare (JailThread.prewarm()), and for
// a spare that preloads it (Subclass.prewarm()) the URL then '--spare'
// (src/host/process-wide/preload.ts). Everything this file does is paid for on every start.
import module from 'node:module';

// Node 22.1 and later keep the compiled code of the library and the thread's
// modules between starts (~2.5 ms of a cold start here). Not Node's default
// folder, which is shared by every user of the machine, who could plant
// entries there; NODE_COMPILE_CACHE chooses another and
// NODE_DISABLE_COMPILE_CACHE=1 turns it off, as for any Node program. A
// sandboxed plugin may not write the folder and starts without it.
const { enableCompileCache } = module as { enableCompileCache?: (directory: string) => unknown };
const cacheHome = process.env.XDG_CACHE_HOME || (process.env.HOME && `${process.env.HOME}/.cache`);
if (cacheHome && !process.env.NODE_COMPILE_CACHE) enableCompileCache?.(`${cacheHome}/jailthread/compile-cache`);

// A mark, not a comparison of paths: under --preserve-symlinks a symlinked
// install gives this file one path and the library another.
const [threadModule, role] = process.argv.slice(2);
(globalThis as Record<symbol, unknown>)[Symbol.for('jailthread.worker-entry')] =
  role === '--spare' ? { spare: true, preload: threadModule } : { spare: threadModule === undefined };

// The library before the thread's module, which a CommonJS module's
// require('jailthread') could not meet half loaded. Beside this file in
// dist/; a URL, not a specifier, as the build leaves it untouched.
await import(new URL('./index.js', import.meta.url).href);
