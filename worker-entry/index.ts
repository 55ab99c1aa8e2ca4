// The module JailThread.start() forks. For a cold start the host passes the
// thread's module URL as argv[2], so its import starts here, first, and
// overlaps with loading the runtime and waiting for the init frame. A spare
// (JailThread.prewarm()) gets no URL, or a plugin's with 'spare' after it: it
// loads the library (and that module) ahead of time and says it is ready.
// Everything this file imports is paid for on every start.
const [url, role] = process.argv.slice(2);
const spare = url === undefined || role === 'spare';
const preload = url === undefined ? undefined : { url, namespace: import(url) };
// Held until the init frame decides whether it is wanted; reported from there.
preload?.namespace.catch(() => undefined);

const { ChildRuntime } = await import('../src/child/runtime.js');
if (spare) {
  // By name, as the thread's own module will: that resolution is cached too.
  await import('jailthread');
  // A module that fails to load fails the start that adopts the spare, as it would a cold one.
  await preload?.namespace.catch(() => undefined);
}
new ChildRuntime(preload).listen(spare);
