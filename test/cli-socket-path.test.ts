import { chmod, chown, mkdir, mkdtemp, rm, stat, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { CliError, chooseSocket, defaultSocketPath, securePrivateDir } from './cli-modules.js';

describe('cli socket path', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'jailthread-sock-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('defaults to $XDG_RUNTIME_DIR/jailthread, else a per-uid folder in tmpdir', () => {
    expect(defaultSocketPath({ XDG_RUNTIME_DIR: '/run/user/1000' })).to.equal('/run/user/1000/jailthread/control.sock');
    expect(defaultSocketPath({})).to.equal(path.join(os.tmpdir(), `jailthread-${process.getuid?.()}`, 'control.sock'));
  });

  it('--socket beats $JAILTHREAD_SOCKET beats the config beats the default', () => {
    const env = { JAILTHREAD_SOCKET: 'env.sock', XDG_RUNTIME_DIR: '/run/user/1' };
    expect(chooseSocket('flag.sock', '/cfg.sock', env)).to.deep.equal({
      path: path.resolve('flag.sock'),
      source: '--socket',
    });
    expect(chooseSocket(undefined, '/cfg.sock', env)).to.deep.equal({
      path: path.resolve('env.sock'),
      source: 'JAILTHREAD_SOCKET',
    });
    expect(chooseSocket(undefined, '/cfg.sock', { XDG_RUNTIME_DIR: '/r' })).to.deep.equal({
      path: '/cfg.sock',
      source: 'config',
    });
    expect(chooseSocket(undefined, undefined, { XDG_RUNTIME_DIR: '/r' })).to.deep.equal({
      path: '/r/jailthread/control.sock',
      source: 'default',
    });
  });

  it('creates the folder with mode 0700, and accepts it as it is the next time', async () => {
    const folder = path.join(dir, 'jailthread');
    await securePrivateDir(folder, true);
    expect((await stat(folder)).mode & 0o777).to.equal(0o700);
    await securePrivateDir(folder, true);
    await securePrivateDir(folder, false);
  });

  it('a client does not create a missing folder (no folder means no host)', async () => {
    const folder = path.join(dir, 'absent');
    await securePrivateDir(folder, false);
    expect(await stat(folder).catch(() => undefined)).to.equal(undefined);
  });

  it('refuses a folder writable by group or others, a symlink and a file, saying how to fix it', async () => {
    const open = path.join(dir, 'open');
    await mkdir(open);
    await chmod(open, 0o770);
    const error = (await securePrivateDir(open, true).catch((e: unknown) => e)) as Error;
    expect(error).to.be.instanceOf(CliError);
    expect(error.message).to.equal(
      `socket folder ${open} is writable by its group (mode 770); run 'chmod 700 ${open}' or remove it, or choose another socket with --socket PATH`,
    );
    await chmod(open, 0o777);
    expect((await securePrivateDir(open, false).catch((e: unknown) => e)) as Error).to.have.property(
      'message',
      `socket folder ${open} is writable by everyone (mode 777); run 'chmod 700 ${open}' or remove it, or choose another socket with --socket PATH`,
    );
    const link = path.join(dir, 'link');
    await symlink(dir, link);
    expect(((await securePrivateDir(link, true).catch((e: unknown) => e)) as Error).message).to.match(
      /is a symlink; remove it/,
    );
    const file = path.join(dir, 'file');
    await writeFile(file, '');
    expect(((await securePrivateDir(file, true).catch((e: unknown) => e)) as Error).message).to.match(
      /is not a folder; remove it/,
    );
  });

  it('refuses a folder owned by another user', async function () {
    if (process.getuid?.() !== 0) this.skip(); // only root can give a folder away
    const theirs = path.join(dir, 'theirs');
    await mkdir(theirs, { mode: 0o700 });
    await chown(theirs, 12345, 12345);
    const error = (await securePrivateDir(theirs, true).catch((e: unknown) => e)) as Error;
    expect(error.message).to.equal(
      `socket folder ${theirs} is owned by uid 12345, not by you (uid 0); remove it, or choose another socket with --socket PATH`,
    );
  });
});
