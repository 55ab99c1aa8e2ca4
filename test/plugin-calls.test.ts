import { expect } from 'chai';
import { defineContract, PluginHost, ThreadStateError, ThreadTimeoutError, ValidationError } from 'jailthread';
import * as z from 'zod';
import { calcContract } from './fixtures/plugins/calc-contract.js';
import { fixture, trackHost } from './helpers.js';

const calculator = (serve = { lookup: ({ key }: { key: string }) => `value of ${key}` }) =>
  trackHost(new PluginHost()).add({
    name: 'calc',
    module: fixture('plugins/calculator'),
    contract: calcContract,
    serve,
    restart: 'never',
    // Sandboxed children write no V8 coverage on Node 20; the sandbox has tests of its own.
    sandbox: false,
  });

describe('plugin host: typed calls both ways', () => {
  it('calls a plugin method with its typed input and returns its output', async () => {
    const host = calculator();
    await host.start();
    const sum: number = await host.call('calc', 'add', { a: 2, b: 3 });
    expect(sum).to.equal(5);
  });

  it('invalid input is refused in the host, naming the field, and the plugin goes on', async () => {
    const host = calculator();
    await host.start();
    const error = await host.call('calc', 'add', { a: 2, b: 'three' as unknown as number }).catch((e: Error) => e);
    expect(error).to.be.instanceOf(ValidationError);
    expect((error as ValidationError).issues.map((issue) => issue.path)).to.deep.equal(['b']);
    expect((error as Error).message).to.include('host.call("calc", "add")');
    expect(await host.call('calc', 'add', { a: 1, b: 1 })).to.equal(2);
  });

  it('a large invalid value makes a small ValidationError: its first 5 issues, and how many more', async () => {
    const listing = defineContract({ plugin: { add: { input: z.array(z.number()), output: z.number() } } });
    const host = trackHost(new PluginHost()).add({
      name: 'calc',
      module: fixture('plugins/calculator'),
      contract: listing,
      restart: 'never',
      sandbox: false,
    });
    await host.start();
    const words = Array.from({ length: 100_000 }, () => 'x');
    const error = await host.call('calc', 'add', words as unknown as number[]).catch((e: Error) => e);
    expect(error).to.be.instanceOf(ValidationError);
    expect((error as ValidationError).issues.map((issue) => issue.path)).to.deep.equal(['0', '1', '2', '3', '4']);
    expect((error as Error).message).to.include('; and 99995 more issues');
    expect((error as Error).message.length).to.be.below(4096);
  });

  it('output that breaks the contract rejects with ValidationError', async () => {
    const host = calculator();
    await host.start();
    const error = await host.call('calc', 'lie', undefined).catch((e: Error) => e);
    expect(error).to.be.instanceOf(ValidationError);
    expect((error as Error).message).to.match(/output of call\("lie"\)/);
  });

  it('an error thrown by the method crosses with its class, message and stack', async () => {
    const host = calculator();
    await host.start();
    const error = await host.call('calc', 'fail', 'out of range').catch((e: Error) => e);
    expect(error).to.be.instanceOf(RangeError);
    expect((error as Error).message).to.equal('out of range');
    expect((error as Error).stack).to.include('calculator.js');
  });

  it('a call with no answer rejects with ThreadTimeoutError after its timeout', async () => {
    const host = calculator();
    await host.start();
    const error = await host.call('calc', 'hang', undefined, { timeout: 1 }).catch((e: Error) => e);
    expect(error).to.be.instanceOf(ThreadTimeoutError);
  });

  it('a call pending when the plugin exits rejects at once with ThreadStateError', async () => {
    const host = calculator();
    await host.start();
    const error = await host.call('calc', 'quit', 7, { timeout: 60_000 }).catch((e: Error) => e);
    expect(error).to.be.instanceOf(ThreadStateError);
    expect((error as Error).message).to.include('exit code 7');
  });

  it('a method in the contract that the class lacks, or one outside the contract, is a clear error', async () => {
    const host = calculator();
    await host.start();
    const missing = await host.call('calc', 'missing', undefined).catch((e: Error) => e);
    expect(missing).to.be.instanceOf(TypeError);
    expect((missing as Error).message).to.include('does not define it');
    const unknown = await host.call('calc', 'nope' as 'add', { a: 1, b: 2 }).catch((e: Error) => e);
    expect((unknown as Error).message).to.match(/no method nope .*its methods: add, lie/);
  });

  it('the plugin calls a host function, validated on both sides', async () => {
    const seen: string[] = [];
    const host = calculator({
      lookup: ({ key }) => {
        seen.push(key);
        return `value of ${key}`;
      },
    });
    await host.start();
    expect(await host.call('calc', 'ask', { key: 'port' })).to.equal('value of port');
    const error = await host.call('calc', 'askWrongly', undefined).catch((e: Error) => e);
    expect(error).to.be.instanceOf(ValidationError);
    expect((error as Error).message).to.include('callHost("lookup")');
    expect(seen).to.deep.equal(['port']);
  });

  it('a host function returning what its schema refuses rejects in the plugin', async () => {
    const host = calculator({ lookup: () => 42 as unknown as string });
    await host.start();
    const error = await host.call('calc', 'ask', { key: 'port' }).catch((e: Error) => e);
    expect(error).to.be.instanceOf(ValidationError);
    expect((error as Error).message).to.include('serve.lookup must return what the contract says');
  });

  it('calls to an unknown plugin, or one that is not running, reject with the fix', async () => {
    const host = calculator();
    const early = await host.call('calc', 'add', { a: 1, b: 2 }).catch((e: Error) => e);
    expect(early).to.be.instanceOf(ThreadStateError);
    expect((early as Error).message).to.include('is stopped, not running');
    const unknown = await host.call('other' as 'calc', 'add', { a: 1, b: 2 }).catch((e: Error) => e);
    expect((unknown as Error).message).to.include('the plugins are: calc');
  });
});
