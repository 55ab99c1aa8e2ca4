import { chmod, chown, mkdir, mkdtemp, rm, stat, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import {
  CliError,
  chooseSocket,
  defaultSocketPaths,
  findHostSocket,
  listenControl,
  placeHostSocket,
  request,
  securePrivateDir,
} from './cli-modules.js';

describe('cli socket path', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'jailthread-sock-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('defaults to /run/jailthread for root; for others $XDG_RUNTIME_DIR, then tmpdir, then home', () => {
    const places = { tmpdir: '/tmp', home: '/home/ann', hasRun: true };
    expect(defaultSocketPaths({ ...places, uid: 0, env: { XDG_RUNTIME_DIR: '/run/user/0' } })).to.deep.equal([
      '/run/jailthread/control.sock',
      '/tmp/jailthread-0/control.sock',
    ]);
    expect(defaultSocketPaths({ ...places, uid: 1000, env: { XDG_RUNTIME_DIR: '/run/user/1000' } })).to.deep.equal([
      '/run/user/1000/jailthread/control.sock',
      '/tmp/jailthread-1000/control.sock',
      '/home/ann/.jailthread/control.sock',
    ]);
    expect(defaultSocketPaths({ ...places, uid: 1000, env: {} })).to.deep.equal([
      '/tmp/jailthread-1000/control.sock',
      '/home/ann/.jailthread/control.sock',
    ]);
    // Without /run (macOS), root falls back to tmpdir and home like anyone.
    expect(defaultSocketPaths({ ...places, uid: 0, env: {}, hasRun: false })[0]).to.equal(
      '/tmp/jailthread-0/control.sock',
    );
  });

  it('a host passes over a default folder it cannot trust and takes the next; a client looks in the same order', async () => {
    const uid = process.getuid?.();
    const places = { uid, env: {}, tmpdir: dir, home: path.join(dir, 'home'), hasRun: false };
    const [tmp, home] = defaultSocketPaths(places) as [string, string];
    expect(tmp.startsWith(dir), 'every candidate is inside the test folder').to.equal(true);
    // Taken first and left open to everyone, as another user could in a shared tmpdir.
    await mkdir(path.dirname(tmp), { mode: 0o777 });
    await chmod(path.dirname(tmp), 0o777);
    const place = await placeHostSocket([tmp, home], uid);
    expect(place.path).to.equal(home);
    expect(place.skipped).to.deep.equal([
      `socket folder ${path.dirname(tmp)} is writable by everyone (mode 777); run 'chmod 700 ${path.dirname(tmp)}' or remove it, or choose another socket with --socket PATH`,
    ]);
    expect((await stat(path.dirname(home))).mode & 0o777).to.equal(0o700);
    expect((await stat(path.dirname(tmp))).mode & 0o777, 'the foreign folder is left as it was').to.equal(0o777);

    // No host yet: the client names the first folder it may use; once the host listens, it finds it.
    expect(await findHostSocket([tmp, home], uid)).to.equal(home);
    const server = await listenControl(home, () => 'found');
    // A socket planted in the open folder, first in the order, is never talked to.
    const impostor = await listenControl(tmp, () => 'impostor');
    try {
      expect(await request(await findHostSocket([tmp, home], uid), { command: 'ping' })).to.equal('found');
    } finally {
      await Promise.all([server.close(), impostor.close()]);
    }
  });

  it('a host that can use no default folder says why for each, and how to choose one', async () => {
    const open = path.join(dir, 'open', 'control.sock');
    const file = path.join(dir, 'file', 'control.sock');
    await mkdir(path.dirname(open), { mode: 0o777 });
    await chmod(path.dirname(open), 0o777);
    await writeFile(path.dirname(file), '');
    const error = (await placeHostSocket([open, file]).catch((e: unknown) => e)) as Error;
    expect(error).to.be.instanceOf(CliError);
    expect(error.message).to.match(
      /^no default folder for the control socket can be used: socket folder .*open is writable by everyone .*; socket folder .*file is not a folder; remove it, or choose another socket with --socket PATH$/,
    );
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
    expect(
      chooseSocket(undefined, undefined, { XDG_RUNTIME_DIR: '/r' }, { uid: 1000, tmpdir: '/t', home: '/h' }),
    ).to.deep.equal({
      path: '/r/jailthread/control.sock',
      source: 'default',
      candidates: ['/r/jailthread/control.sock', '/t/jailthread-1000/control.sock', '/h/.jailthread/control.sock'],
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
