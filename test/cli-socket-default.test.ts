import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { execaNode } from 'execa';
import { outputUntil } from './cli-fakes.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const CLI = path.join(root, 'dist/cli.js');
const STEADY = fileURLToPath(new URL('./fixtures/plugins/steady.js', import.meta.url));
/** Two users that exist for no one else on the machine: the one running jailthread, and the one who got there first. */
const USER = 47_811;
const OTHER = 47_812;

/** Whether any user can run `file`: it and every folder above it are open to others. */
function openToAll(file: string): boolean {
  for (let at = file; ; at = path.dirname(at)) {
    if ((statSync(at).mode & 0o001) === 0) return false;
    if (path.dirname(at) === at) return true;
  }
}

describe('cli default socket: another user’s folder in tmpdir', function () {
  this.timeout(30_000);

  it('the host starts on the next default path, says why, and the commands find it there', async function () {
    // Only root can act as the two users this needs, and they must be able to run this node.
    if (
      process.getuid?.() !== 0 ||
      !openToAll(process.execPath) ||
      !openToAll(path.dirname(CLI)) ||
      !(statSync(CLI).mode & 0o004)
    )
      this.skip();
    const dir = mkdtempSync(path.join(tmpdir(), 'jailthread-default-'));
    chmodSync(dir, 0o755);
    const tmp = path.join(dir, 'tmp');
    const home = path.join(dir, 'home');
    const theirs = path.join(tmp, `jailthread-${USER}`);
    mkdirSync(tmp);
    chmodSync(tmp, 0o1777);
    // What another local user can do before the host first starts: take the per-uid folder.
    mkdirSync(theirs, { mode: 0o700 });
    chownSync(theirs, OTHER, OTHER);
    mkdirSync(home, { mode: 0o700 });
    chownSync(home, USER, USER);
    const config = path.join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ plugins: [{ name: 'steady', module: STEADY, sandbox: { read: [root] } }] }));

    const as = { uid: USER, gid: USER, extendEnv: false, env: { TMPDIR: tmp, HOME: home }, reject: false } as const;
    const expected = path.join(home, '.jailthread', 'control.sock');
    const host = execaNode(CLI, ['run', config], as);
    try {
      const stderr = await outputUntil(host.stderr, /control socket .*\n/);
      expect(stderr).to.contain(
        `jailthread run: socket folder ${theirs} is owned by uid ${OTHER}, not by you (uid ${USER}); remove it, or choose another socket with --socket PATH; using ${expected}\n`,
      );
      expect(stderr).to.contain(`control socket ${expected}\n`);
      // status exits 0 only once every plugin runs: the plugin's first line says its run() has begun.
      await outputUntil(host.stdout, /started steady/);
      const status = await execaNode(CLI, ['status'], as);
      expect(status.exitCode, status.stderr).to.equal(0);
      expect(status.stdout).to.contain('Plugin list:\tsteady');
      expect((await execaNode(CLI, ['stop'], as)).exitCode).to.equal(0);
      expect((await host).exitCode).to.equal(0);
    } finally {
      host.kill('SIGKILL');
      await host;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
