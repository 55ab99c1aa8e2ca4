import { expect } from 'chai';
import { type LogEntry, PluginHost, type PluginHostEvents, ThreadStateError } from 'jailthread';
import { calcContract } from './fixtures/plugins/calc-contract.js';
import { eventWhere, fixture, quiet, trackHost, within } from './helpers.js';

type Restart = PluginHostEvents['restart'][0];

describe('plugin host: supervision', () => {
  it('a crash loop backs off exponentially, then the plugin is errored while the others go on', async () => {
    const host = trackHost(new PluginHost({ logger: quiet }))
      .add({ name: 'steady', module: fixture('plugins/steady') })
      .add({
        name: 'crasher',
        module: fixture('throws'),
        backoff: { initial: 1, factor: 4 },
        maxRestarts: 3,
        restartWindow: 60_000,
      });
    const restarts: Restart[] = [];
    const crashes: string[] = [];
    host.on('restart', (event) => restarts.push(event));
    host.on('crash', (event) => crashes.push(event.reason));
    host.on('error', () => undefined);
    const errored = eventWhere(host, 'errored');
    await host.start();
    const [steadyBefore] = await host.status();
    const { plugin, reason } = await errored;
    expect(plugin).to.equal('crasher');
    expect(reason).to.include('after 3 restarts within 60000 ms');
    expect(restarts.map((event) => event.delay)).to.deep.equal([1, 4, 16]);
    expect(restarts.map((event) => event.attempt)).to.deep.equal([1, 2, 3]);
    expect(crashes).to.deep.equal(Array(4).fill('exit code 1'));
    const [steady, crasher] = await host.status();
    expect(crasher).to.include({ state: 'errored', restarts: 3, lastExit: 'exit code 1', uptime: null });
    expect(steady).to.include({ state: 'running', restarts: 0, pid: steadyBefore?.pid });
  });

  it('a plugin blocked in synchronous code is declared unresponsive, killed, and restarted', async () => {
    const host = trackHost(new PluginHost({ logger: quiet })).add({
      name: 'calc',
      module: fixture('plugins/calculator'),
      contract: calcContract,
      serve: { lookup: ({ key }) => key },
      health: { interval: 20, timeout: 1_000 },
      backoff: { initial: 1 },
    });
    await host.start();
    const [before] = await host.status();
    const unresponsive = eventWhere(host, 'unresponsive');
    const restarted = eventWhere(host, 'restart');
    const pending = host.call('calc', 'spin', undefined, { timeout: 60_000 }).catch((e: Error) => e);
    expect(await unresponsive).to.include({ plugin: 'calc', pid: before?.pid, timeout: 1_000 });
    expect(await pending).to.be.instanceOf(ThreadStateError);
    const restart = await restarted;
    expect(restart.reason).to.equal('unresponsive');
    expect(restart.pid).to.not.equal(before?.pid);
    const [after] = await host.status();
    expect(after).to.include({ state: 'running', restarts: 1, lastExit: 'unresponsive' });
    expect(await host.call('calc', 'add', { a: 1, b: 2 })).to.equal(3);
  });

  it('process.exit() in a plugin: a failing code is a crash under on-failure, a clean one ends it', async () => {
    const host = trackHost(new PluginHost({ logger: quiet }))
      .add({ name: 'fails', module: fixture('plugins/exiter'), options: { args: [3] }, maxRestarts: 0 })
      .add({ name: 'clean', module: fixture('plugins/exiter'), options: { args: [0] } });
    const errored = eventWhere(host, 'errored');
    const crashed = eventWhere(host, 'crash');
    const cleanExit = eventWhere(host, 'exit', (event) => event.plugin === 'clean');
    await host.start();
    expect((await crashed).reason).to.equal('exit code 3');
    expect((await errored).plugin).to.equal('fails');
    expect(await cleanExit).to.include({ exitCode: 0, reason: 'exit code 0' });
    const rows = await host.status();
    expect(rows.map((row) => [row.name, row.state, row.lastExit])).to.deep.equal([
      ['fails', 'errored', 'exit code 3'],
      ['clean', 'stopped', 'exit code 0'],
    ]);
  });

  it("process.exit(0) under 'always' is restarted; under 'never' a crash is given up at once", async () => {
    const host = trackHost(new PluginHost({ logger: quiet }))
      .add({ name: 'always', module: fixture('plugins/exiter'), options: { args: [0] }, restart: 'always' })
      .add({ name: 'never', module: fixture('throws'), restart: 'never' });
    host.on('error', () => undefined);
    const restarted = eventWhere(host, 'restart', (event) => event.plugin === 'always');
    const errored = eventWhere(host, 'errored');
    await host.start();
    expect((await restarted).reason).to.equal('exit code 0');
    const { plugin, reason } = await errored;
    expect([plugin, reason]).to.deep.equal(['never', "it ended (exit code 1) and its restart policy is 'never'"]);
    await host.stop();
  });

  it('starts plugins in the order added and stops them in reverse', async () => {
    const lines: string[] = [];
    const host = trackHost(
      new PluginHost({ logger: ({ plugin, line }: LogEntry) => lines.push(`${plugin}: ${line}`) }),
    );
    for (const name of ['a', 'b', 'c']) host.add({ name, module: fixture('plugins/steady') });
    await host.start();
    await host.stop();
    expect(lines).to.deep.equal([
      'a: started a',
      'b: started b',
      'c: started c',
      'c: stopped c',
      'b: stopped b',
      'a: stopped a',
    ]);
    expect((await host.status()).map((row) => row.state)).to.deep.equal(['stopped', 'stopped', 'stopped']);
  });

  it('restart() brings back a stopped plugin in a new process; setIdle() shows as the idle state', async () => {
    const host = trackHost(new PluginHost({ logger: quiet })).add({
      name: 'steady',
      module: fixture('plugins/steady'),
    });
    await host.start();
    host.setIdle('steady', true);
    const [idle] = await host.status();
    expect(idle).to.include({ state: 'idle' });
    expect(idle?.status).to.deep.include({ idle: true });
    await host.stop('steady');
    const restarted = eventWhere(host, 'restart');
    await host.restart('steady');
    expect(await restarted).to.include({ attempt: 1, delay: 0, reason: 'restart() was called' });
    const [after] = await host.status();
    expect(after).to.include({ state: 'idle', restarts: 1 });
    expect(after?.pid).to.not.equal(idle?.pid);
  });

  it('status() rows carry pid, uptime, memory from the health ping, and the plugin’s own status', async () => {
    const host = trackHost(new PluginHost({ logger: quiet })).add({
      name: 'steady',
      module: fixture('plugins/steady'),
      health: { interval: 1, timeout: 5_000 },
    });
    await host.start();
    // The memory figure comes with the first pong; no event announces it.
    expect(await within(async () => (await host.status())[0]?.memory !== null, 5_000)).to.equal(true);
    const [row] = await host.status();
    expect(row?.pid).to.be.a('number');
    expect(row?.uptime).to.be.a('number');
    expect(row?.memory?.rss).to.be.above(1024 * 1024);
    expect(row?.status).to.deep.equal({ idle: false, pid: row?.pid });
  });
});
