// Type tests: compiled (never run) by `npm run build:test` and, against the
// packed package with `tsc --init`'s settings, by test/package.test.ts. A line
// under `@ts-expect-error` must not compile; every other line must.
import { type Contract, defineContract, Plugin, PluginHost, type PluginMethods } from 'jailthread';
import * as z from 'zod';

const scanner = defineContract({
  plugin: { scan: { input: z.object({ path: z.string() }), output: z.number() } },
});

export async function typedCalls(): Promise<number> {
  const host = new PluginHost().add({
    name: 'scanner',
    module: new URL('./scanner.js', import.meta.url),
    contract: scanner,
  });
  // @ts-expect-error: no plugin "scannr" was added
  await host.call('scannr', 'scan', { path: '/var/log' });
  // @ts-expect-error: the contract has no method "scna"
  await host.call('scanner', 'scna', { path: '/var/log' });
  // @ts-expect-error: path is a string
  await host.call('scanner', 'scan', { path: 1 });
  return host.call('scanner', 'scan', { path: '/var/log' });
}

export async function noPluginAdded(host = new PluginHost()): Promise<void> {
  // @ts-expect-error: a host with no plugin added has no name to call
  await host.call('scanner', 'scan', { path: '/var/log' });
}

export async function namesReadAtRunTime(name: string, other: string): Promise<number> {
  // A name only known at run time makes any name compile; the host checks it when called.
  const host = new PluginHost().add({ name, module: new URL('./scanner.js', import.meta.url), contract: scanner });
  return host.call(other, 'scan', { path: '/var/log' });
}

export function anyPlugins(host: PluginHost<Record<string, Contract>>, name: string): Promise<unknown> {
  return host.call(name, 'anything', {});
}

const reporter = defineContract({
  host: {
    report: { input: z.object({ hits: z.number() }), output: z.void() },
    log: { input: z.string(), output: z.void() },
  },
});

export function serveRequired(): void {
  const module = new URL('./reporter.js', import.meta.url);
  // @ts-expect-error: the contract names host functions, so serve is required
  new PluginHost().add({ name: 'reporter', module, contract: reporter });
  // @ts-expect-error: serve lacks log
  new PluginHost().add({ name: 'reporter', module, contract: reporter, serve: { report: () => {} } });
  new PluginHost().add({
    name: 'reporter',
    module,
    contract: reporter,
    serve: { report: ({ hits }) => console.log(hits), log: (line) => console.log(line.length) },
  });
  // A contract without host functions needs no serve.
  new PluginHost().add({ name: 'scanner', module, contract: scanner });
}

export function unknownFields(module: URL): void {
  // @ts-expect-error: limits has maxRssMb, not maxRss
  new PluginHost().add({ name: 'scanner', module, limits: { maxRss: 100 } });
  // @ts-expect-error: a top-level typo
  new PluginHost().add({ name: 'scanner', module, sandobx: {} });
}

export function pathsAsUrls(module: URL): void {
  // A file: URL wherever the spec takes a path to a folder the plugin runs in.
  new PluginHost().add({ name: 'scanner', module, cwd: new URL('./work/', module) });
  // @ts-expect-error: sandbox paths are strings (absolute paths or file: URL strings)
  new PluginHost().add({ name: 'scanner', module, sandbox: { read: [new URL('./data/', module)] } });
}

const waiter = defineContract({
  plugin: { wait: { input: z.number(), output: z.string() } },
  host: { slow: { input: z.void(), output: z.string() } },
});

export async function signals(module: URL): Promise<string> {
  // The callee's second argument: a method gets { signal }, a host function { plugin, signal }.
  const wait: PluginMethods<typeof waiter>['wait'] = (ms, { signal }) => `${ms} ${signal.aborted}`;
  // @ts-expect-error: the method's context has no plugin name
  const wrong: PluginMethods<typeof waiter>['wait'] = (_, { plugin }) => plugin;
  const host = new PluginHost().add({
    name: 'waiter',
    module,
    contract: waiter,
    serve: { slow: (_, { plugin, signal }) => `${plugin} ${signal.aborted}` },
  });
  // @ts-expect-error: signal is an AbortSignal
  await host.call('waiter', 'wait', 1, { signal: 'abort' });
  void [wait, wrong];
  return host.call('waiter', 'wait', 1, { signal: AbortSignal.timeout(1000), timeout: 2000 });
}

const newsy = defineContract({
  plugin: { tell: { input: z.void(), output: z.void() } },
  events: { hit: z.object({ ip: z.string(), at: z.number().transform((ms) => new Date(ms)) }) },
});

export function subscriptions(module: URL): () => void {
  const host = new PluginHost().add({ name: 'news', module, contract: newsy });
  // The listener gets the data as the schema parses it: `at` is a Date.
  const off = host.subscribe('news', 'hit', ({ ip, at }) => console.log(ip.length, at.getTime()));
  // @ts-expect-error: the contract declares no event "miss"
  host.subscribe('news', 'miss', () => undefined);
  // @ts-expect-error: ip is a string
  host.subscribe('news', 'hit', ({ ip }: { ip: number }) => ip);
  return off;
}

export class Publisher extends Plugin<typeof newsy> {
  async tell(): Promise<void> {
    // publish() takes the schema's input: `at` is a number here.
    await this.publish('hit', { ip: '10.0.0.1', at: Date.now() });
    // @ts-expect-error: the contract declares no event "miss"
    await this.publish('miss', {});
    // @ts-expect-error: at is a number on the way in
    await this.publish('hit', { ip: '10.0.0.1', at: new Date() });
  }
}

const tailer = defineContract({
  plugin: {
    tail: { input: z.object({ path: z.string() }), yields: z.string().transform((line) => line.length) },
    size: { input: z.void(), output: z.number() },
  },
});

export async function streams(module: URL): Promise<number> {
  const host = new PluginHost().add({ name: 'tailer', module, contract: tailer });
  let total = 0;
  // Each item is what the yields schema parses: a number here.
  for await (const length of host.stream('tailer', 'tail', { path: '/var/log/auth.log' }, { highWaterMark: 4 })) {
    total += length;
  }
  // @ts-expect-error: path is a string
  host.stream('tailer', 'tail', { path: 1 });
  // @ts-expect-error: a stream's items are numbers, not strings
  for await (const line of host.stream('tailer', 'tail', { path: '/x' })) line.toUpperCase();
  return total;
}

export class Tailer extends Plugin<typeof tailer> implements PluginMethods<typeof tailer> {
  // A stream method is an async generator of what the schema takes, with the same { signal }.
  async *tail({ path }: { path: string }, { signal }: { signal: AbortSignal }): AsyncGenerator<string> {
    while (!signal.aborted) yield path;
  }
  size(): number {
    return 0;
  }
}

export class WrongTailer extends Plugin<typeof tailer> implements PluginMethods<typeof tailer> {
  // @ts-expect-error: a stream method yields strings, not numbers
  async *tail(): AsyncGenerator<number> {
    yield 1;
  }
  size(): number {
    return 0;
  }
}
