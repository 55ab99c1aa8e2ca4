// The module JailThread.start() forks. For a cold start the host passes the
// thread's module URL as argv[2], so its import starts here, first, and
// overlaps with loading the runtime and waiting for the init frame. A spare
// (JailThread.prewarm()) gets no URL: it loads the library ahead of time and
// says it is ready. Everything this file imports is paid for on every start.
const url = process.argv[2];
const preload = url === undefined ? undefined : { url, namespace: import(url) };
// Held until the init frame decides whether it is wanted; reported from there.
preload?.namespace.catch(() => undefined);

const { ChildRuntime } = await import('../src/child/runtime.js');
// By name, as the thread's own module will: that resolution is cached too.
if (url === undefined) await import('jailthread');
new ChildRuntime(preload).listen(url === undefined);
