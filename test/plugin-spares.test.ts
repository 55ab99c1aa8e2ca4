import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { expect } from 'chai';
import { execaNode } from 'execa';
import { PluginHost } from 'jailthread';
import { calcContract } from './fixtures/plugins/calc-contract.js';
import { allGoneWithin, eventWhere, hostScript, quiet, trackHost, workersOfEachTest } from './helpers.js';
import { userPlugin } from './user-app.js';

const calc = (name: string, spares: number) => ({
  name,
  module: userPlugin('calculator'),
  contract: calcContract,
  serve: { lookup: ({ key }: { key: string }) => key },
  backoff: { initial: 1 },
  spares,
});

describe('plugin host: spares', () => {
  // A started plugin's process is titled with its name, so mine() lists the spares;
  // the plugins' own PIDs are added where a test checks that everything ended.
  const mine = workersOfEachTest();

  it('a crashed plugin restarts in a spare forked with its sandbox, and stop() ends every process', async () => {
    const host = trackHost(new PluginHost({ logger: quiet })).add(calc('calc', 1));
    await host.start();
    const [row] = await host.status();
    const spares = mine().filter((pid) => pid !== row?.pid);
    expect(spares, 'one spare, ready once start() has resolved').to.have.length(1);
    const [spare] = spares as [number];
    expect(readFileSync(`/proc/${spare}/cmdline`, 'utf8')).to.match(/--(experimental-)?permission/);
    const restarted = eventWhere(host, 'restart');
    process.kill(row?.pid as number, 'SIGKILL');
    expect(await restarted).to.include({ plugin: 'calc', pid: spare });
    expect(await host.call('calc', 'add', { a: 2, b: 3 })).to.equal(5);
    await host.stop();
    expect(await allGoneWithin([spare, ...mine()], 5_000), 'the plugin, in its spare, and the replacement').to.equal(
      true,
    );
  });

  it('preloadSpares: the spare imports the plugin’s module before it is ready, and a restart adopts it', async () => {
    const host = trackHost(new PluginHost({ logger: quiet })).add({ ...calc('calc', 1), preloadSpares: true });
    await host.start();
    const [row] = await host.status();
    const [spare] = mine().filter((pid) => pid !== row?.pid) as [number];
    // The worker entry's arguments for a spare that preloads: the module, then the mark.
    const args = readFileSync(`/proc/${spare}/cmdline`, 'utf8').split('\0');
    expect(args.slice(-3, -1)).to.deep.equal([userPlugin('calculator').href, '--spare']);
    const restarted = eventWhere(host, 'restart');
    process.kill(row?.pid as number, 'SIGKILL');
    expect(await restarted).to.include({ plugin: 'calc', pid: spare });
    expect(await host.call('calc', 'add', { a: 2, b: 3 })).to.equal(5);
    await host.stop();
    expect(await allGoneWithin([spare, ...mine()], 5_000)).to.equal(true);
  });

  it("a plugin's spares serve it alone, even for another plugin forked the same way", async () => {
    const host = trackHost(new PluginHost({ logger: quiet }))
      .add(calc('warm', 1))
      .add(calc('cold', 0));
    await host.start();
    const rows = await host.status();
    const [spare] = mine().filter((pid) => !rows.some((row) => row.pid === pid));
    const restarted = eventWhere(host, 'restart');
    process.kill(rows[1]?.pid as number, 'SIGKILL');
    const restart = await restarted;
    expect(restart.plugin).to.equal('cold');
    expect(restart.pid).to.not.equal(spare);
    expect(mine()).to.include(spare);
    await host.stop();
    const plugins = [...rows.map((row) => row.pid), restart.pid].filter((pid) => typeof pid === 'number');
    expect(await allGoneWithin([...plugins, ...mine()], 5_000)).to.equal(true);
  });

  it("spares forked in the host's old directory are ended when a restart forks in a new one", async () => {
    const host = trackHost(new PluginHost({ logger: quiet })).add(calc('calc', 1));
    await host.start();
    const [row] = await host.status();
    const old = mine().filter((pid) => pid !== row?.pid);
    const home = process.cwd();
    process.chdir(tmpdir());
    try {
      await host.restart('calc');
    } finally {
      process.chdir(home);
    }
    expect(await allGoneWithin(old, 5_000), 'the spare of the old directory').to.equal(true);
    const [after] = await host.status();
    expect(after?.pid).to.not.be.oneOf(old);
    expect(mine().filter((pid) => pid !== after?.pid)).to.have.length(1);
    await host.stop();
    expect(await allGoneWithin([after?.pid as number, ...mine()], 5_000)).to.equal(true);
  });

  it('a host whose directory was deleted: each start fails, and the policy handles it, backoff included', async () => {
    const { stdout } = await execaNode(hostScript('deleted-cwd'));
    const { state, crashes } = JSON.parse(stdout) as { state: string; crashes: string[] };
    expect(state).to.equal('errored');
    expect(crashes).to.have.length(2);
    for (const message of crashes) expect(message).to.match(/directory does not exist/);
  });

  it('restart() adopts the spare; stop(name) ends the spares, and restart() fills the pool again', async () => {
    const host = trackHost(new PluginHost({ logger: quiet })).add(calc('calc', 1));
    await host.start();
    const [row] = await host.status();
    const [spare] = mine().filter((pid) => pid !== row?.pid);
    await host.restart('calc');
    const [after] = await host.status();
    expect(after?.pid).to.equal(spare);
    await host.stop('calc');
    expect(await allGoneWithin([spare as number, ...mine()], 5_000), 'stop(name) ends it and its spares').to.equal(
      true,
    );
    await host.restart('calc');
    const [again] = await host.status();
    expect(mine().filter((pid) => pid !== again?.pid)).to.have.length(1);
    await host.stop();
    expect(await allGoneWithin([again?.pid as number, ...mine()], 5_000)).to.equal(true);
  });
});
