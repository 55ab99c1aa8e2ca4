// The module JailThread.start() forks. The host passes the thread's module URL
// as argv[2], so its import starts here, first, and overlaps with loading the
// runtime and waiting for the init frame; everything this file imports is
// paid for on every thread's start-up.
const url = process.argv[2];
const preload = url === undefined ? undefined : { url, namespace: import(url) };
// Held until the init frame decides whether it is wanted; reported from there.
preload?.namespace.catch(() => undefined);

const { ChildRuntime } = await import('../src/child/runtime.js');
new ChildRuntime(preload).listen();
