// The module JailThread.start() forks. For a cold start the host passes the
// thread's module URL as argv[2], so its import starts here, first, and
// overlaps with loading the runtime and waiting for the init frame. A spare
// (JailThread.prewarm()) gets no URL: it loads the library ahead of time and
// says it is ready. Everything this file imports is paid for on every start.
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
const preload = url === undefined ? undefined : { url, namespace: import(url) };
// Held until the init frame decides whether it is wanted; reported from there.
preload?.namespace.catch(() => undefined);

const { ChildRuntime } = await import('../src/child/runtime.js');
// By name, as the thread's own module will: that resolution is cached too.
if (url === undefined) await import('jailthread');
new ChildRuntime(preload).listen(url === undefined);
