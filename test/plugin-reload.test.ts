import { expect } from 'chai';
import { PluginHost, type PluginSpec } from 'jailthread';
import { echoContract } from './fixtures/plugins/echoer.js';
import { newsContract } from './fixtures/plugins/news-contract.js';
import { eventWhere, fixture, isGone, quiet, trackHost, workers } from './helpers.js';

const echoer = (name: string, extra: Partial<PluginSpec> = {}): PluginSpec & { name: string } => ({
  name,
  module: fixture('plugins/echoer'),
  contract: echoContract,
  sandbox: false,
  ...extra,
});

/** The error `promise` rejects with; fails if it resolves. */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

const pidOf = async (host: PluginHost<Record<string, typeof echoContract>>, name: string) =>
  (await host.status()).find((row) => row.name === name)?.pid as number;

describe('plugin host: add(), remove() and replace() on a started host', () => {
  it('add() starts the plugin at once; remove() stops and forgets it', async () => {
    const host = trackHost(new PluginHost<Record<string, typeof echoContract>>({ logger: quiet })).add(echoer('a'));
    await host.start();
    const running = eventWhere(host, 'state', (event) => event.plugin === 'b' && event.to === 'running');
    host.add(echoer('b'));
    await running;
    expect(await host.call('b', 'echo', 'hi')).to.equal('hi');
    const pid = await pidOf(host, 'b');
    await host.remove('b');
    expect(host.names()).to.deep.equal(['a']);
    expect(isGone(pid)).to.equal(true);
    expect((await rejection(host.call('b', 'echo', 'hi'))).message).to.match(/no plugin of that name/);
    host.add(echoer('b'));
    await host.stop();
  });

  it('replace() with a wrong spec throws and changes nothing; a right one swaps the process', async () => {
    const host = trackHost(new PluginHost<Record<string, typeof echoContract>>({ logger: quiet })).add(echoer('a'));
    await host.start();
    const pid = await pidOf(host, 'a');
    expect((await rejection(host.replace(echoer('a', { restart: 'sometimes' as never })))).message).to.match(/restart/);
    expect(await pidOf(host, 'a')).to.equal(pid);
    await host.replace(echoer('a', { shutdownTimeout: 3000 }));
    expect(await pidOf(host, 'a')).to.not.equal(pid);
    expect(isGone(pid)).to.equal(true);
    await host.stop();
  });

  it('replace(spec, { graceful: true }): calls never fail, and a stop meanwhile ends both processes', async () => {
    const host = trackHost(new PluginHost<Record<string, typeof echoContract>>({ logger: quiet })).add(echoer('a'));
    await host.start();
    const states: string[] = [];
    host.on('state', (event) => states.push(event.to));
    let going = true;
    let calls = 0;
    const failures: unknown[] = [];
    const stream = (async () => {
      while (going)
        await host.call('a', 'echo', 'x').then(
          () => calls++,
          (error) => failures.push(error),
        );
    })();
    await host.replace(echoer('a'), { graceful: true });
    going = false;
    await stream;
    expect(failures).to.deep.equal([]);
    expect(calls).to.be.greaterThan(0);
    // The instances aside do not speak for the plugin: it never looked stopped.
    expect(states).to.deep.equal([]);

    // A stop of the host while the new process starts stops it too.
    const pid = await pidOf(host, 'a');
    const replacing = rejection(host.replace(echoer('a'), { graceful: true }));
    await host.stop();
    expect((await replacing).message).to.match(/the new process did not start|meanwhile/);
    expect(isGone(pid)).to.equal(true);
    expect(workers()).to.deep.equal([]);
  });

  it('the stop of every plugin wins: add(), remove() and replace() (graceful too) are refused during it and after it, until start()', async () => {
    const host = trackHost(new PluginHost<Record<string, typeof echoContract>>({ logger: quiet })).add(echoer('a'));
    await host.start();
    const pid = await pidOf(host, 'a');
    // A plain replace under way when the stop begins puts its spec in place and starts nothing.
    const replaced = host.replace(echoer('a', { shutdownTimeout: 3000 }));
    const stopping = host.stop();
    expect(() => host.add(echoer('b'))).to.throw(
      /^host\.add\(\{ name: "b" \}\): refused: the host is stopping every plugin/,
    );
    expect((await rejection(host.remove('a'))).message).to.match(
      /^host\.remove\("a"\): refused: the host is stopping every plugin \(stop\(\) was called\)/,
    );
    expect((await rejection(host.replace(echoer('a')))).message).to.match(
      /^host\.replace\(\{ name: "a" \}\): refused: the host is stopping/,
    );
    expect((await rejection(host.replace(echoer('a'), { graceful: true }))).message).to.match(
      /^host\.replace\(\{ name: "a" \}\): refused: the host is stopping/,
    );
    await replaced;
    await stopping;
    expect(isGone(pid)).to.equal(true);
    const rows = await host.status();
    expect(rows).to.have.length(1);
    expect(rows[0]).to.include({ name: 'a', state: 'stopped' });
    expect(workers()).to.deep.equal([]);
    expect((await rejection(host.remove('a'))).message).to.match(/refused: the host has stopped every plugin/);
    expect((await rejection(host.replace(echoer('a'), { graceful: true }))).message).to.match(
      /has stopped every plugin/,
    );
    expect(() => host.add(echoer('b'))).to.throw(/refused: the host has stopped every plugin/);
    await host.start();
    const running = eventWhere(host, 'state', (event) => event.plugin === 'b' && event.to === 'running');
    host.add(echoer('b'));
    await running;
    await host.replace(echoer('a'), { graceful: true });
    await host.remove('b');
    expect(host.names()).to.deep.equal(['a']);
    expect(await host.call('a', 'echo', 'hi')).to.equal('hi');
    await host.stop();
  });

  it("the host's subscriptions to a plugin's events go on through replace(), plain and graceful", async () => {
    const spec: PluginSpec & { name: string } = {
      name: 'news',
      module: fixture('plugins/news'),
      contract: newsContract,
      sandbox: false,
    };
    const host = trackHost(new PluginHost<Record<string, typeof newsContract>>({ logger: quiet })).add(spec);
    await host.start();
    const counts: number[] = [];
    const off = host.subscribe('news', 'done', (count) => counts.push(count));
    await host.replace({ ...spec });
    await host.call('news', 'tell', { count: 1 });
    await host.replace({ ...spec }, { graceful: true });
    await host.call('news', 'tell', { count: 2 });
    expect(counts).to.deep.equal([1, 2]);
    off();
    // Another listener is the handshake: the event was delivered, and the one unsubscribed did not hear it.
    const heard = new Promise<number>((resolve) => host.subscribe('news', 'done', resolve));
    await host.call('news', 'tell', { count: 3 });
    expect(await heard).to.equal(3);
    expect(counts).to.deep.equal([1, 2]);
    await host.stop();
  });
});
