import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { PluginHost } from 'jailthread';
import { fixture, trackHost } from './helpers.js';

describe('plugin host: sandbox and environment', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'jailthread-sandbox-'));
    process.env.JAILTHREAD_TEST_SECRET = 'hunter2';
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    delete process.env.JAILTHREAD_TEST_SECRET;
  });

  const sandboxed = (extra: object) =>
    trackHost(new PluginHost()).add({
      name: 'boxed',
      module: fixture('plugins/sandboxed'),
      options: { args: [path.join(dir, 'out.txt')] },
      ...extra,
    });

  it('by default: no write outside the allow-list, no child process, no host secret; the host goes on', async () => {
    const host = sandboxed({ env: { JAILTHREAD_TEST_OWN: 'mine' } });
    await host.start();
    const [row] = await host.status();
    expect(row?.status).to.deep.equal({
      write: 'ERR_ACCESS_DENIED',
      spawn: 'ERR_ACCESS_DENIED',
      secret: undefined,
      own: 'mine',
    });
    expect(existsSync(path.join(dir, 'out.txt'))).to.equal(false);
    expect(row?.state).to.equal('running');
  });

  it('grants what the spec allows: a write path, child processes, a host variable', async () => {
    const host = sandboxed({
      sandbox: { write: [dir], childProcess: true },
      envAllow: ['PATH', 'JAILTHREAD_TEST_SECRET'],
    });
    await host.start();
    const [row] = await host.status();
    expect(row?.status).to.deep.equal({ write: 'ok', spawn: 'ok', secret: 'hunter2', own: undefined });
  });

  it('sandbox: false runs the plugin without the permission model', async () => {
    const host = sandboxed({ sandbox: false });
    await host.start();
    const [row] = await host.status();
    expect(row?.status).to.deep.include({ write: 'ok', spawn: 'ok' });
  });
});
