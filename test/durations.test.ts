import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { JailThread, PluginHost } from 'jailthread';
import { ConfigError, loadConfig } from './cli-modules.js';
import { fixture, messageWhere, nextMessage, quiet, track, trackHost } from './helpers.js';

const TOO_LONG = 2 ** 31;

/** Round trips to the child until `ms` have passed since `since`: time measured by handshakes, not slept. */
async function roundTripsFor(thread: JailThread<unknown>, since: number, ms: number): Promise<void> {
  for (let n = 0; performance.now() - since < ms; n++) {
    const back = messageWhere<{ echo?: unknown }>(thread, (data) => data?.echo === n);
    await thread.send(n);
    await back;
  }
}

describe('durations: every millisecond value fits a timer, or is Infinity for none', () => {
  it('a call timeout of Infinity waits for the answer, and join(Infinity) for the exit', async () => {
    const thread = track(JailThread.fromModule<string>(fixture('status-on-cue'), { name: 'cue' }));
    const ready = nextMessage(thread);
    await thread.start();
    await ready;
    const since = performance.now();
    let joined = false;
    const join = thread.join(Infinity).then(() => {
      joined = true;
    });
    const asked = messageWhere(thread, (data) => data === 'asked');
    const status = thread.getStatus(undefined, { timeout: Infinity });
    await asked;
    // A timer given Infinity fires after 1 ms: 50 ms of round trips leave no doubt.
    await roundTripsFor(thread, since, 50);
    expect(joined).to.equal(false);
    await thread.send('go');
    expect(await status).to.equal('answered');
    await thread.stop();
    await join;
    expect(joined).to.equal(true);
  });

  it('a millisecond option past 2^31 - 1 is a RangeError naming it, before anything is started', async () => {
    const bound = /2147483647 ms \(about 24\.8 days, the longest a Node timer waits\)/;
    expect(() => new JailThread({ sleeptime: 3_600_000_000 }))
      .to.throw(RangeError, /sleeptime/)
      .and.match(bound);
    expect(() => new JailThread({ stopTimeout: TOO_LONG })).to.throw(RangeError, /stopTimeout/);
    expect(() => new JailThread({ sleeptime: Number.POSITIVE_INFINITY })).to.throw(RangeError, /sleeptime/);
    const thread = track(JailThread.fromModule(fixture('echo'), { name: 'bounds' }));
    const ready = nextMessage(thread);
    await thread.start();
    await ready;
    expect(() => {
      thread.sleeptime = TOO_LONG;
    }).to.throw(RangeError, /thread\.sleeptime/);
    const refused = async (call: Promise<unknown>) => (await call.catch((error: unknown) => error)) as Error;
    const status = await refused(thread.getStatus(undefined, { timeout: TOO_LONG }));
    expect(status).to.be.instanceOf(RangeError);
    expect(status.message).to.match(/getStatus\(flavor, \{ timeout \}\).*or Infinity for no deadline, got 2147483648/);
    for (const [options, name] of [
      [{ timeout: TOO_LONG }, 'stop\\(\\{ timeout \\}\\)'],
      [{ timeout: Number.POSITIVE_INFINITY }, 'stop\\(\\{ timeout \\}\\)'],
      [{ grace: TOO_LONG }, 'stop\\(\\{ grace \\}\\)'],
    ] as const) {
      const error = await refused(thread.stop(options));
      expect(error, name).to.be.instanceOf(RangeError);
      expect(error.message).to.match(new RegExp(`^${name} of thread "bounds" must be at most 2147483647 ms`));
    }
    expect(thread.isAlive()).to.equal(true);
    const join = await refused(thread.join(TOO_LONG));
    expect(join).to.be.instanceOf(RangeError);
  });

  it('a plugin spec and a config file refuse the same values, naming the field', async () => {
    const host = trackHost(new PluginHost({ logger: quiet }));
    const cases: [string, object][] = [
      ['shutdownTimeout', { shutdownTimeout: TOO_LONG }],
      ['options.sleeptime', { options: { sleeptime: 3_600_000_000 } }],
      ['health.interval', { health: { interval: TOO_LONG } }],
      ['backoff.max', { backoff: { max: TOO_LONG } }],
      ['restartWindow', { restartWindow: Number.POSITIVE_INFINITY }],
    ];
    const dir = await mkdtemp(path.join(os.tmpdir(), 'jailthread-durations-'));
    try {
      for (const [field, refused] of cases) {
        const spec = { name: 'a', module: '/srv/a.js', ...refused };
        expect(() => host.add(spec), field)
          .to.throw(RangeError, `PluginHost.add({ ${field} }) of plugin "a": `)
          .and.match(/2147483647 ms|finite number, got Infinity/);
        // JSON has no Infinity: the file says 1e999, which JSON.parse reads as Infinity.
        const file = path.join(dir, 'jails.json');
        await writeFile(file, JSON.stringify({ plugins: [spec] }).replace('null', '1e999'));
        const error = (await loadConfig(file).catch((e: unknown) => e)) as ConfigError;
        expect(error, field).to.be.instanceOf(ConfigError);
        expect(error.problems[0], field).to.contain(`plugins[0].${field}: `);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
