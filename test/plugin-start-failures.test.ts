import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { PluginHost, type PluginHostEvents, type PluginSpec } from 'jailthread';
import { calcContract } from './fixtures/plugins/calc-contract.js';
import { eventWhere, fixture, quiet, trackHost } from './helpers.js';

type Errored = PluginHostEvents['errored'][0];

/** Adds the plugin with a generous policy and starts it; resolves with its 'errored' event and the restarts seen. */
async function firstStart(spec: Pick<PluginSpec, 'module' | 'export' | 'options'>) {
  const host = trackHost(new PluginHost({ logger: quiet })).add({
    name: 'doomed',
    ...spec,
    maxRestarts: 5,
    backoff: { initial: 1 },
  });
  const restarts: unknown[] = [];
  host.on('restart', (event) => restarts.push(event));
  const errored = eventWhere(host, 'errored');
  await host.start();
  const event: Errored = await errored;
  const [row] = await host.status();
  return { event, restarts, row };
}

describe('plugin host: a first start that can never succeed', () => {
  it('a module that does not exist is given up at once, with its error', async () => {
    const { event, restarts, row } = await firstStart({ module: fixture('plugins/nowhere') });
    expect(restarts).to.deep.equal([]);
    expect(event.reason).to.match(/its start can never succeed \(Error: Cannot find module .*nowhere\.js/);
    expect(row).to.include({ state: 'errored', restarts: 0, lastExit: 'start failed (exit code 1)' });
  });

  it('a missing export is given up at once, naming the exports there are', async () => {
    const { event, restarts } = await firstStart({ module: fixture('plugins/steady'), export: 'Missing' });
    expect(restarts).to.deep.equal([]);
    expect(event.reason).to.match(/can never succeed \(TypeError: .*has no export "Missing" \(its exports: default\)/);
  });

  it('a syntax error is given up at once', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'jailthread-'));
    try {
      const file = path.join(dir, 'broken.js');
      await writeFile(file, 'export default class {\n');
      const { event, restarts } = await firstStart({ module: file });
      expect(restarts).to.deep.equal([]);
      expect(event.reason).to.match(/can never succeed \(SyntaxError: /);
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it("a constructor's schema failure is given up at once, in one short line", async () => {
    const { event, row } = await firstStart({
      module: fixture('plugins/strict-options'),
      options: { args: [{ logpath: 7, maxretry: -1 }] },
    });
    expect(row).to.include({ state: 'errored', restarts: 0 });
    expect(event.reason).to.equal(
      'its start can never succeed (ZodError: logpath: Invalid input: expected string, received number; maxretry: Too small: expected number to be >0); fix the plugin, then call restart()',
    );
  });

  it('the same failure on a restart after the plugin ran follows the policy', async () => {
    // A copy of the calculator next to its contract, removed once it runs: its restarts cannot find it.
    const original = fileURLToPath(fixture('plugins/calculator'));
    const copy = path.join(path.dirname(original), `vanishing-${process.pid}.js`);
    await copyFile(original, copy);
    try {
      const host = trackHost(new PluginHost({ logger: quiet })).add({
        name: 'calc',
        module: copy,
        contract: calcContract,
        serve: { lookup: ({ key }) => key },
        maxRestarts: 2,
        backoff: { initial: 1 },
        sandbox: false,
      });
      const crashes: string[] = [];
      host.on('crash', (event) => crashes.push(event.reason));
      const errored = eventWhere(host, 'errored');
      await host.start();
      await rm(copy);
      await host.call('calc', 'quit', 3).catch(() => undefined);
      const { reason } = await errored;
      expect(reason).to.include('after 2 restarts within');
      expect(crashes).to.deep.equal(['exit code 3', 'start failed (exit code 1)', 'start failed (exit code 1)']);
    } finally {
      await rm(copy, { force: true });
    }
  });
});
