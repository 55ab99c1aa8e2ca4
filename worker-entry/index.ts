// The module JailThread.start() forks. For a cold start the host passes the
// thread's module URL as argv[2], so its import starts here, first, and
// overlaps with loading the library; the runtime's own import of it when the
// init frame names it meets the same module. The library's one file then
// starts the child's runtime (src/child/main.ts). A spare (JailThread.prewarm())
// gets no URL. Everything this file does is paid for on every start.
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

const url = process.argv[2];
// Reported by the runtime, which imports it again, if the init frame names it.
if (url !== undefined) import(url).catch(() => undefined);

// Beside this file in dist/; a URL, not a specifier, as the build leaves it untouched.
await import(new URL('./index.js', import.meta.url).href);
