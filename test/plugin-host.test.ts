import { createInterface } from 'node:readline';
import { expect } from 'chai';
import { execaNode } from 'execa';
import { JailThreadError, PluginHost, type PluginSpec } from 'jailthread';
import { calcContract } from './fixtures/plugins/calc-contract.js';
import { allGoneWithin, fixture, hostScript, trackHost } from './helpers.js';

/** Starts the signal host script and resolves once it printed `ready PID`; `waitFor` finds a line, printed before or after. */
async function signalHost(plugin: string) {
  const child = execaNode(hostScript('plugin-signals'), [plugin], { reject: false, lines: true });
  const seen: string[] = [];
  const waiting = new Set<{ wanted: string; resolve(line: string): void }>();
  createInterface({ input: child.stdout }).on('line', (line) => {
    seen.push(line);
    for (const waiter of waiting) {
      if (!line.startsWith(waiter.wanted)) continue;
      waiting.delete(waiter);
      waiter.resolve(line);
    }
  });
  const waitFor = (wanted: string) =>
    new Promise<string>((resolve) => {
      const line = seen.find((earlier) => earlier.startsWith(wanted));
      if (line === undefined) waiting.add({ wanted, resolve });
      else resolve(line);
    });
  const pid = Number((await waitFor('ready ')).slice('ready '.length));
  return { child, pid, waitFor };
}

describe('plugin host: specs, events and signals', () => {
  it('a bad spec is refused with the field and the fix, and nothing is added', () => {
    const host = new PluginHost();
    const cases: [Partial<PluginSpec>, RegExp][] = [
      [{ name: '' }, /\{ name \}.*non-empty string/],
      [{ name: 'a', module: 42 as unknown as string }, /\{ module \}.*path or a file: URL/],
      [
        { name: 'a', module: '/x.js', restart: 'sometimes' as 'never' },
        /\{ restart \}.*one of always, on-failure, never/,
      ],
      [{ name: 'a', module: '/x.js', backoff: { initial: -1 } }, /\{ backoff.initial \}.*>= 0/],
      [{ name: 'a', module: '/x.js', health: { interval: 0 } }, /\{ health.interval \}.*>= 1/],
      [{ name: 'a', module: '/x.js', sandbox: { network: true } as object }, /\{ sandbox.network \}.*read, write/],
      [{ name: 'a', module: '/x.js', serve: { lookup: () => 'x' } }, /\{ serve.lookup \}.*contract.host/],
      [{ name: 'a', module: '/x.js', retries: 3 } as object, /\{ retries \}.*not a plugin setting/],
      [{ name: 'a', module: '/x.js', spares: 1.5 }, /\{ spares \}.*whole number, got 1.5/],
      [{ name: 'a', module: '/x.js', spares: -1 }, /\{ spares \}.*>= 0/],
    ];
    for (const [spec, message] of cases) {
      expect(() => host.add(spec as PluginSpec)).to.throw(message);
    }
    expect(host.names()).to.deep.equal([]);
    host.add({ name: 'a', module: '/x.js', contract: calcContract, serve: { lookup: () => 'x' } });
    expect(() => host.add({ name: 'a', module: '/y.js' })).to.throw(TypeError, /already added/);
  });

  it('naming a plugin that does not exist lists the ones that do', async () => {
    const host = new PluginHost().add({ name: 'a', module: '/x.js' }).add({ name: 'b', module: '/y.js' });
    expect(() => host.setIdle('c', true)).to.throw(JailThreadError, 'the plugins are: a, b');
    const error = await host.restart('c').catch((e: Error) => e);
    expect((error as Error).message).to.equal('host.restart("c"): no plugin of that name; the plugins are: a, b.');
  });

  it('a module that cannot be loaded is a crash with the start error, handled by the policy', async () => {
    const host = trackHost(new PluginHost()).add({
      name: 'ghost',
      module: fixture('plugins/nowhere'),
      restart: 'never',
    });
    const crashed = new Promise<{ reason: string; error?: Error }>((resolve) => host.once('crash', resolve));
    await host.start();
    const crash = await crashed;
    expect(crash.reason).to.equal('start failed (exit code 1)');
    expect(crash.error?.message).to.include('nowhere.js');
    expect((await host.status())[0]).to.include({ state: 'errored' });
  });

  it('handleSignals(): the first SIGINT stops the plugins in order and the host exits by itself', async () => {
    const { child, pid } = await signalHost('plugins/steady');
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode).to.equal(0);
    expect(result.stdout).to.include('stopped plugin');
    expect(result.stdout.slice(-2)).to.deep.equal(['stopped plugin', 'host stopped']);
    expect(await allGoneWithin([pid], 1_000)).to.equal(true);
  });

  it('handleSignals(): a second SIGINT during the stop kills at once instead of waiting 60 s', async () => {
    const { child, pid, waitFor } = await signalHost('ignores-stop');
    child.kill('SIGINT');
    await waitFor('signal');
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode).to.equal(0);
    // Against the plugin's 60 s shutdownTimeout (mocha would time out first at 20 s).
    expect(result.durationMs).to.be.below(10_000);
    expect(await allGoneWithin([pid], 1_000)).to.equal(true);
  });
});
