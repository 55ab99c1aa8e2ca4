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

describe('jailthread command: stop while a plugin is still starting', () => {
  let dir: string;
  let host: { kill(signal: NodeJS.Signals): unknown } | undefined;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'jailthread-stop-'));
  });
  afterEach(() => {
    // A host that never got as far as the stop (its plugins failed to start) would keep the run waiting.
    host?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('`jailthread stop` ends the start: the next plugin never starts and the host exits', async () => {
    const socket = path.join(dir, 'control.sock');
    const config = path.join(dir, 'jails.json');
    writeFileSync(
      config,
      JSON.stringify({
        socket,
        plugins: [
          { name: 'slow', module: fileURLToPath(fixture('plugins/hangs-loading')), shutdownTimeout: 1 },
          { name: 'steady', module: fileURLToPath(fixture('plugins/steady')) },
        ],
      }),
    );
    const running = execaNode(CLI, ['run', config], { reject: false });
    host = running;
    await outputUntil(running.stdout, /\[slow\] loading/);
    const stop = await execaNode(CLI, ['stop', '--socket', socket], { reject: false });
    expect(stop.exitCode, stop.stderr).to.equal(0);
    const result = await running;
    expect(result.exitCode).to.equal(0);
    expect(result.stdout).to.not.include('[steady]');
    expect(await allGoneWithin([running.pid as number], 1_000)).to.equal(true);
  });
});
