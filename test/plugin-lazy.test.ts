import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { PluginHost } from 'jailthread';
import { ConfigError, loadConfig } from './cli-modules.js';
import { calcContract } from './fixtures/plugins/calc-contract.js';
import { newsContract } from './fixtures/plugins/news-contract.js';
import { fixture, trackHost, workers } from './helpers.js';

/** The calculator, lazy: a PluginHost with it added. */
const withLazyCalc = () =>
  trackHost(new PluginHost()).add({
    name: 'calc',
    module: fixture('plugins/calculator'),
    contract: calcContract,
    serve: { lookup: ({ key }) => key },
    start: 'lazy',
    sandbox: false,
  });

const lazy = () =>
  withLazyCalc().add({
    name: 'news',
    module: fixture('plugins/news'),
    contract: newsContract,
    start: 'lazy',
    sandbox: false,
  });

describe("plugin host: start: 'lazy'", () => {
  it('host.start() forks no lazy plugin; its state is lazy until its first call, which forks it and is answered', async () => {
    const before = workers().length;
    const host = lazy();
    await host.start();
    expect((await host.status()).map(({ state, pid }) => [state, pid])).to.deep.equal([
      ['lazy', null],
      ['lazy', null],
    ]);
    expect(workers(), 'no process forked').to.have.length(before);
    expect(await host.call('calc', 'add', { a: 2, b: 2 }, { timeout: 60_000 })).to.equal(4);
    const [calc, news] = await host.status();
    expect([calc?.state, news?.state]).to.deep.equal(['running', 'lazy']);
  });

  it('subscribe() forks it too; a stopped lazy plugin is lazy again after start()', async () => {
    const host = lazy();
    await host.start();
    const running = new Promise<void>((resolve) =>
      host.on('state', ({ plugin, to }) => {
        if (plugin === 'news' && to === 'running') resolve();
      }),
    );
    const off = host.subscribe('news', 'done', () => undefined);
    await running;
    off();
    await host.stop();
    expect((await host.status()).map((row) => row.state)).to.deep.equal(['stopped', 'stopped']);
    await host.start();
    expect((await host.status()).map((row) => row.state)).to.deep.equal(['lazy', 'lazy']);
  });

  it("the host's stop wins: a call made once it has begun forks no lazy plugin, and is rejected when the stop reaches it", async () => {
    const host = withLazyCalc().add({ name: 'steady', module: fixture('plugins/steady'), sandbox: false });
    await host.start();
    const moves: string[] = [];
    host.on('state', ({ plugin, to }) => {
      if (plugin === 'calc') moves.push(to);
    });
    // The stop of every plugin ends 'steady' first (reverse order): the call comes while it holds.
    const stopping = host.stop();
    const call = host.call('calc', 'add', { a: 1, b: 1 }, { timeout: 60_000 }).catch((error: unknown) => error);
    await stopping;
    const error = (await call) as Error;
    expect(error.name).to.equal('ThreadStateError');
    expect(error.message).to.match(/plugin "calc" is stopped/);
    expect(moves, 'never forked').to.deep.equal(['stopped']);
    const [calc, steady] = await host.status();
    expect([calc?.state, calc?.pid, steady?.state]).to.deep.equal(['stopped', null, 'stopped']);
  });

  it("a start that is neither 'eager' nor 'lazy' is refused, by add() and in a config file", async () => {
    expect(() => new PluginHost().add({ name: 'calc', module: '/x.js', start: 'soon' as 'lazy' })).to.throw(
      TypeError,
      /\{ start \}/,
    );
    const dir = await mkdtemp(path.join(os.tmpdir(), 'jailthread-lazy-'));
    try {
      const file = path.join(dir, 'jails.json');
      await writeFile(file, JSON.stringify({ plugins: [{ name: 'a', module: './a.js', start: 'lazy' }] }));
      expect((await loadConfig(file)).plugins[0]).to.deep.include({ start: 'lazy' });
      await writeFile(file, JSON.stringify({ plugins: [{ name: 'a', module: './a.js', start: 'soon' }] }));
      const error = (await loadConfig(file).catch((e: unknown) => e)) as ConfigError;
      expect(error).to.be.instanceOf(ConfigError);
      expect(error.problems.join('\n')).to.match(/plugins\[0\]\.start/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
