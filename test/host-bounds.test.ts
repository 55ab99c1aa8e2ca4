import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { execa, execaNode } from 'execa';
import { PluginHost } from 'jailthread';
import { calcContract } from './fixtures/plugins/calc-contract.js';
import { allGoneWithin, eventWhere, fixture, hostScript, quiet, trackHost } from './helpers.js';

const MiB = 2 ** 20;

interface Cost {
  peakMiB: number;
  stallMs: number;
  ms: number;
  exitReason: string | null;
  errors: string[];
  messages: unknown[];
  name: string;
}

/** Runs a hostile fixture under test/hosts/hostile (see there) and returns its output and what it cost the host. */
async function attack(name: string, sleeptime: number, output: 'inherit' | 'prefix' = 'inherit') {
  const host = await execaNode(hostScript('hostile'), [name, String(sleeptime), output], {
    nodeOptions: ['--expose-gc'],
    // A host that failed to end its child would otherwise run on after the test.
    timeout: 55_000,
    maxBuffer: 64 * MiB,
    stripFinalNewline: false,
  });
  return { stdout: host.stdout, cost: JSON.parse(host.stderr.split('\n').at(-2) as string) as Cost };
}

// Each figure's bound is many times what the fixed host measures on a loaded
// 2-core machine, and many times below what the unbounded host reached.
describe('host bounds: nothing a child sends makes the host spend without bound', () => {
  it('a 1 MB frame trickled one byte per write: host memory and event-loop stalls stay small', async function () {
    this.timeout(60_000);
    const { cost } = await attack('trickle', 1_000_000);
    expect(cost.messages).to.deep.equal([1_000_000, 'done']);
    expect(cost.peakMiB, 'heap and buffer growth, MiB').to.be.below(50);
    expect(cost.stallMs, 'longest event-loop stall, ms').to.be.below(2_000);
  });

  it('a child that calls the host and never reads its channel is killed as misbehaved, not the host', async function () {
    this.timeout(30_000);
    const { cost } = await attack('deaf-caller', 60_000);
    expect(cost.exitReason).to.equal('misbehaved');
    expect(cost.errors).to.have.length(1);
    expect(cost.errors[0]).to.match(
      /^ProtocolError: thread "hostile" \(pid \d+\) made 1025 calls to the host without reading the answers; it was killed \(exit reason 'misbehaved'\)/,
    );
    expect(cost.peakMiB, 'heap and buffer growth, MiB').to.be.below(50);
  });

  it('a plugin that leaves over 64 MiB of answers to its calls unread is killed as misbehaved', async () => {
    const host = trackHost(new PluginHost({ logger: quiet })).add({
      name: 'deaf',
      module: fixture('plugins/deaf-lookup'),
      // It imports ../raw-channel.js, outside its folder: the default sandbox does not read there.
      sandbox: { read: [fileURLToPath(fixture('raw-channel'))] },
      contract: calcContract,
      serve: { lookup: () => 'x'.repeat(MiB) },
      health: false,
      backoff: { initial: 60_000 },
    });
    const errors: Error[] = [];
    host.on('error', (error) => errors.push(error));
    const crashed = eventWhere(host, 'crash');
    await host.start();
    expect((await crashed).exitReason).to.equal('misbehaved');
    expect(errors).to.have.length(1);
    expect(errors[0]?.message).to.match(
      /^thread "deaf" \(pid \d+\) has not read \d+ bytes of answers to its calls, over the limit of 67108868; it was killed \(exit reason 'misbehaved'\)/,
    );
  });

  it('16 MiB of output without a newline: passed on in marked pieces, in linear time and bounded memory', async function () {
    this.timeout(30_000);
    const { stdout, cost } = await attack('no-newline', 16 * 1024, 'prefix');
    const lines = stdout.split('\n');
    const piece = 'z'.repeat(64 * 1024);
    expect(lines[0]).to.equal(`[hostile] ${piece}`);
    expect(lines.slice(1, 256).every((line) => line === `[hostile] … ${piece}`)).to.equal(true);
    expect(lines.slice(256)).to.deep.equal(['[hostile] end', '']);
    expect(cost.peakMiB, 'heap and buffer growth, MiB').to.be.below(50);
  });

  it('a thread that renames itself keeps the prefix the host gave it', async () => {
    const { stdout, cost } = await attack('renamer', 0, 'prefix');
    expect(stdout).to.equal('[hostile] forged line\n');
    expect(cost.name, 'the name is still mirrored').to.equal('victim');
  });

  it('out of file descriptors: start() and prewarm() reject naming EMFILE; the host and its threads go on', async () => {
    const host = await execa('sh', [
      '-c',
      `ulimit -n 200; exec "${process.execPath}" "$0"`,
      hostScript('no-fds').pathname,
    ]);
    const report = JSON.parse(host.stdout);
    expect(report.start).to.deep.include({ name: 'ThreadStartError', cause: 'EMFILE' });
    expect(report.start.message).to.match(
      /^start\(\) of thread "second": the child process could not be forked: spawn .+ EMFILE \(too many open files\); free file descriptors/,
    );
    expect(report.prewarm).to.deep.include({ name: 'JailThreadError', cause: 'EMFILE' });
    expect(report).to.deep.include({
      secondAlive: false,
      firstAnswers: { echo: 'still here' },
      thirdStarted: true,
      unhandled: [],
    });
  });

  it('a killed watcher is replaced, once reported, and still kills busy children of a SIGKILLed host', async () => {
    const host = execaNode(hostScript('watcher-killed'), [], { reject: false });
    let report: { watchers: number[]; killed: number; warnings: string[]; pids: number[] };
    try {
      const lines = createInterface({ input: host.stdout as NodeJS.ReadableStream });
      const [line] = (await once(lines, 'line')) as [string];
      lines.close();
      report = JSON.parse(line);
      expect(report.watchers).to.have.length(1);
      expect(report.watchers[0]).to.not.equal(report.killed);
      expect(report.warnings).to.have.length(1);
      expect(report.warnings[0]).to.match(
        /^JAILTHREAD_WATCHER: the orphan watcher \(pid \d+\) ended \(killed by SIGKILL\) while the host runs; a new one \(pid \d+\) watches its 1 live child\.$/,
      );
    } finally {
      // The host never ends by itself; its watcher kills its busy children once it is gone.
      host.kill('SIGKILL');
      await host;
    }
    expect(await allGoneWithin(report.pids, 2_000)).to.equal(true);
  });

  it('a watcher killed as fast as it is replaced is given up after 10 replacements, with a last warning', async () => {
    const host = await execaNode(hostScript('watcher-killed-often'), [], {
      nodeOptions: ['--no-warnings'],
      timeout: 25_000,
    });
    const { warnings, watchers } = JSON.parse(host.stdout);
    expect(warnings).to.have.length(11);
    expect(warnings.slice(0, 10).every((warning: string) => /while the host runs; a new one/.test(warning))).to.equal(
      true,
    );
    expect(warnings[10]).to.match(/ended \(killed by SIGKILL\) 11 times within 60 s; it is not replaced again/);
    expect(watchers).to.equal(0);
  });

  it('maxRssMb holds against a plugin that lies about its memory: the host reads it from /proc', async () => {
    const host = trackHost(new PluginHost({ logger: quiet })).add({
      name: 'liar',
      module: fixture('plugins/rss-liar'),
      limits: { maxRssMb: 100 },
      health: { interval: 1, timeout: 5_000 },
      backoff: { initial: 60_000 },
    });
    const recycled = eventWhere(host, 'recycle');
    await host.start();
    const recycle = await recycled;
    expect(recycle.rss).to.be.above(100 * MiB);
    expect(recycle).to.include({ plugin: 'liar', limit: 100 * MiB });
  });

  it('a ping answered with a value outside the protocol is a ProtocolError, and the ping goes unanswered', async () => {
    const host = trackHost(new PluginHost({ logger: quiet })).add({
      name: 'forger',
      module: fixture('plugins/pong-forger'),
      health: { interval: 1, timeout: 200 },
      backoff: { initial: 60_000 },
    });
    const errors: Error[] = [];
    host.on('error', (error) => errors.push(error));
    const unresponsive = eventWhere(host, 'unresponsive');
    await host.start();
    expect(await unresponsive).to.include({ plugin: 'forger', timeout: 200 });
    expect(errors[0]?.name).to.equal('ProtocolError');
    expect(errors[0]?.message).to.match(
      /^thread "forger" \(pid \d+\) sent a reply outside the protocol \(value: rss: invalid_type \(expected number\); heapUsed: invalid_type \(expected number\)\); it was ignored/,
    );
  });
});
