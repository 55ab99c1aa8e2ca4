import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { execaNode } from 'execa';
import { outputUntil } from './cli-fakes.js';
import { allGoneWithin, fixture } from './helpers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const CLI = path.join(root, 'dist/cli.js');

describe('jailthread command: its stop wins', () => {
  let dir: string;
  let host: { kill(signal: NodeJS.Signals): unknown } | undefined;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'jailthread-stop-'));
  });
  /** `jailthread run` of a config file with these plugins and a control socket in the test's folder. */
  const run = (plugins: object[]) => {
    const socket = path.join(dir, 'control.sock');
    const config = path.join(dir, 'jails.json');
    writeFileSync(config, JSON.stringify({ socket, plugins }));
    const running = execaNode(CLI, ['run', config], { reject: false });
    host = running;
    return { socket, running };
  };
  afterEach(() => {
    // A host that never got as far as the stop (its plugins failed to start) would keep the run waiting.
    host?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('`jailthread stop` ends the start: the next plugin never starts and the host exits', async () => {
    const { socket, running } = run([
      { name: 'slow', module: fileURLToPath(fixture('plugins/hangs-loading')), shutdownTimeout: 1 },
      { name: 'steady', module: fileURLToPath(fixture('plugins/steady')) },
    ]);
    await outputUntil(running.stdout, /\[slow\] loading/);
    const stop = await execaNode(CLI, ['stop', '--socket', socket], { reject: false });
    expect(stop.exitCode, stop.stderr).to.equal(0);
    const result = await running;
    expect(result.exitCode).to.equal(0);
    expect(result.stdout).to.not.include('[steady]');
    expect(await allGoneWithin([running.pid as number], 1_000)).to.equal(true);
  });

  it('`jailthread stop` racing `jailthread restart x`: the restart asked once x is stopped is refused, and the host exits when its stop is done', async () => {
    // Stopped in reverse: x first, then the slow plugin, which holds the stop open (its shutdownTimeout is
    // far off) until the test kills it, once the restart has been answered.
    const { socket, running } = run([
      { name: 'slow', module: fileURLToPath(fixture('ignores-stop')), shutdownTimeout: 600_000 },
      { name: 'x', module: fileURLToPath(fixture('plugins/steady')) },
    ]);
    await outputUntil(running.stdout, /\[x\] started x/);
    const status = await execaNode(CLI, ['status', 'slow', '--json', '--socket', socket]);
    const slow = (JSON.parse(status.stdout) as { pid: number }).pid;
    const stop = execaNode(CLI, ['stop', '--socket', socket], { reject: false });
    await outputUntil(running.stdout, /\[x\] stopped x/);
    const restart = await execaNode(CLI, ['restart', 'x', '--socket', socket], { reject: false });
    expect(restart.exitCode).to.not.equal(0);
    expect(restart.stderr).to.match(/refused: the host is stopping every plugin \(stop\(\) was called\)/);
    process.kill(slow, 'SIGKILL');
    expect((await stop).exitCode).to.equal(0);
    const result = await running;
    expect(result.exitCode).to.equal(0);
    expect(result.stdout.match(/\[x\] started x/g)).to.have.length(1);
    expect(await allGoneWithin([running.pid as number], 1_000)).to.equal(true);
  });
});
