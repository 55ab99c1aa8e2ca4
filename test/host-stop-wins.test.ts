import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { execaNode } from 'execa';
import { JailThreadError, PluginHost } from 'jailthread';
import { outputUntil } from './cli-fakes.js';
import { allGoneWithin, eventWhere, fixture, isGone, quiet, trackHost } from './helpers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const CLI = path.join(root, 'dist/cli.js');

describe('plugin host: the stop of every plugin wins', () => {
  it('restart(), setIdle(), add() and start() asked during it are refused, naming the stop; start() after it opens the host', async () => {
    const host = trackHost(new PluginHost({ logger: quiet })).add({ name: 'x', module: fixture('plugins/steady') });
    await host.start();
    const pid = (await host.status())[0]?.pid as number;
    const stopping = host.stop();
    const refused = await host.restart('x').catch((error: Error) => error);
    expect(refused).to.be.instanceOf(JailThreadError);
    expect((refused as Error).message).to.match(
      /^host\.restart\("x"\): refused: the host is stopping every plugin \(stop\(\) was called\)/,
    );
    expect(() => host.setIdle('x', true)).to.throw(
      JailThreadError,
      /setIdle\("x", true\): refused: the host is stopping/,
    );
    expect(() => host.add({ name: 'y', module: fixture('plugins/steady') })).to.throw(JailThreadError, /refused/);
    expect(await host.start().catch((error: Error) => error)).to.be.instanceOf(JailThreadError);
    await stopping;
    expect(isGone(pid)).to.equal(true);
    expect((await host.status())[0]).to.include({ state: 'stopped' });
    expect(await host.restart('x').catch((error: Error) => error))
      .to.be.instanceOf(JailThreadError)
      .with.property('message')
      .that.includes('has stopped every plugin');
    const running = eventWhere(host, 'state', (event) => event.to === 'running');
    await host.start();
    await running;
    await host.restart('x');
    expect((await host.status())[0]).to.include({ state: 'running' });
  });
});

describe('jailthread command: `jailthread stop` racing `jailthread restart x`', () => {
  let dir: string;
  let host: { kill(signal: NodeJS.Signals): unknown } | undefined;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'jailthread-stop-wins-'));
  });
  afterEach(() => {
    host?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('the restart asked once x is stopped is refused, and the host exits when its stop is done', async () => {
    const socket = path.join(dir, 'control.sock');
    const config = path.join(dir, 'jails.json');
    // Stopped in reverse: x first, then the slow plugin, which holds the stop open (its shutdownTimeout is
    // far off) until the test kills it, once the restart has been answered.
    writeFileSync(
      config,
      JSON.stringify({
        socket,
        plugins: [
          { name: 'slow', module: fileURLToPath(fixture('ignores-stop')), shutdownTimeout: 600_000 },
          { name: 'x', module: fileURLToPath(fixture('plugins/steady')) },
        ],
      }),
    );
    const running = execaNode(CLI, ['run', config], { reject: false });
    host = running;
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
