import { expect } from 'chai';
import { PluginHost, ThreadStateError, ThreadTimeoutError, ValidationError } from 'jailthread';
import { streamContract } from './fixtures/plugins/stream-contract.js';
import { eventWhere, fixture, trackHost } from './helpers.js';

const streamer = () =>
  trackHost(new PluginHost()).add({
    name: 's',
    module: fixture('plugins/streamer'),
    contract: streamContract,
    restart: 'never',
    sandbox: false,
  });

describe('plugin host: streams', () => {
  it('host.stream() reads every item, each as its schema parses it, in order, then ends', async () => {
    const host = streamer();
    await host.start();
    const items: string[] = [];
    for await (const item of host.stream('s', 'count', { to: 40 })) items.push(item);
    expect(items).to.deep.equal(Array.from({ length: 40 }, (_, i) => `#${i + 1}`));
  });

  it('back-pressure: the generator is not pulled past highWaterMark unread items', async () => {
    const host = streamer();
    await host.start();
    const iterator = host.stream('s', 'forever', undefined, { highWaterMark: 4 });
    expect(await iterator.next()).to.deep.equal({ value: 1, done: false });
    expect(await host.call('s', 'pulled', undefined)).to.be.at.most(4);
    for (let i = 2; i <= 100; i++) expect((await iterator.next()).value).to.equal(i);
    expect(await host.call('s', 'pulled', undefined)).to.be.within(100, 104);
    await iterator.return?.();
    expect(await host.call('s', 'finished', undefined)).to.deep.equal(['aborted: AbortError', 'finally']);
  });

  it("break ends the plugin's generator: its signal aborts and its finally runs", async () => {
    const host = streamer();
    await host.start();
    for await (const n of host.stream('s', 'forever', undefined)) if (n === 3) break;
    expect(await host.call('s', 'finished', undefined)).to.deep.equal(['aborted: AbortError', 'finally']);
  });

  it('an abort ends the iteration with an AbortError and the generator in the plugin', async () => {
    const host = streamer();
    await host.start();
    const controller = new AbortController();
    const error = await (async () => {
      for await (const n of host.stream('s', 'forever', undefined, { signal: controller.signal })) {
        if (n === 2) controller.abort('enough');
      }
    })().catch((e: Error) => e);
    expect(error).to.include({ name: 'AbortError', code: 'ABORT_ERR', cause: 'enough' });
    expect(await host.call('s', 'finished', undefined)).to.deep.equal(['aborted: AbortError', 'finally']);
  });

  it('timeout bounds the wait for each item: ThreadTimeoutError, and the generator is ended', async () => {
    const host = streamer();
    await host.start();
    const next = host
      .stream('s', 'slow', undefined, { timeout: 2000 })
      .next()
      .catch((e: Error) => e);
    // Answered after the stream's generator has begun: the plugin takes requests in the order they came.
    await host.call('s', 'pulled', undefined);
    const error = await next;
    expect(error).to.be.instanceOf(ThreadTimeoutError);
    expect((error as Error).message).to.match(/stream\("slow"\) .*no item within 2000 ms/);
    expect(await host.call('s', 'finished', undefined)).to.deep.equal(['aborted: ThreadTimeoutError', 'finally']);
  });

  it('an item failing its schema on arrival is a ValidationError; a plugin that exits mid-stream a ThreadStateError', async () => {
    const host = streamer();
    await host.start();
    const invalid = await host
      .stream('s', 'loose', undefined)
      .next()
      .catch((e: Error) => e);
    expect(invalid).to.be.instanceOf(ValidationError);
    expect((invalid as Error).message).to.include('an item of host.stream("s", "loose")');
    const iterator = host.stream('s', 'crash', undefined);
    expect((await iterator.next()).value).to.equal(1);
    expect(await iterator.next().catch((e: Error) => e)).to.be.instanceOf(ThreadStateError);
  });

  it('a plugin that sends more items than the host granted is killed as misbehaved; the host holds no more than highWaterMark', async () => {
    const host = trackHost(new PluginHost()).add({
      name: 's',
      module: fixture('plugins/streamer'),
      contract: streamContract,
      restart: 'never',
      health: false,
      sandbox: false,
    });
    await host.start();
    const exited = eventWhere(host, 'exit');
    const reported = eventWhere(host, 'error');
    let items = 0;
    const error = await (async () => {
      for await (const _ of host.stream('s', 'overrun', undefined, { highWaterMark: 16, timeout: 60_000 })) items++;
    })().catch((e: Error) => e);
    expect(error).to.be.instanceOf(ThreadStateError);
    expect(items, 'the first item went to the waiting reader, 16 were held').to.be.at.most(17);
    expect((await exited).exitReason).to.equal('misbehaved');
    expect((await reported).message).to.match(
      /sent more items of stream\("overrun"\) than the host granted \(16 unread\)/,
    );
  });

  it('bad input is refused at once: the wrong kind of method, highWaterMark, signal', async () => {
    const host = streamer();
    expect(() => host.stream('s', 'pulled' as 'count', { to: 1 })).to.throw(
      TypeError,
      /call it with host\.call\(\), not host\.stream\(\)/,
    );
    const call = await host.call('s', 'count' as 'pulled', undefined).catch((e: Error) => e);
    expect(call).to.be.instanceOf(TypeError);
    expect((call as Error).message).to.match(/read it with host\.stream\(\), not host\.call\(\)/);
    for (const highWaterMark of [0, 65_537, 1.5]) {
      expect(() => host.stream('s', 'count', { to: 1 }, { highWaterMark })).to.throw(
        RangeError,
        /highWaterMark must be a whole number from 1 to 65536/,
      );
    }
    expect(() => host.stream('s', 'count', { to: 1 }, { signal: 'x' as unknown as AbortSignal })).to.throw(
      TypeError,
      /signal must be an AbortSignal/,
    );
  });
});
