import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { networkRestricted, PluginHost } from 'jailthread';
import { trackHost } from './helpers.js';
import { userApp, userPlugin } from './user-app.js';

describe('plugin host: sandbox and environment', () => {
  let dir: string;
  let server: Server;
  let port: number;
  // What a connection the sandbox denies gives: only Node 25 and later can deny one.
  const deniedNet = () => (networkRestricted() ? 'ERR_ACCESS_DENIED' : 'ok');
  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'jailthread-sandbox-'));
    process.env.JAILTHREAD_TEST_SECRET = 'hunter2';
    server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterEach(async () => {
    rmSync(dir, { recursive: true, force: true });
    delete process.env.JAILTHREAD_TEST_SECRET;
    await new Promise((resolve) => server.close(resolve));
  });

  const sandboxed = (extra: object) =>
    trackHost(new PluginHost()).add({
      name: 'boxed',
      module: userPlugin('sandboxed'),
      options: { args: [path.join(dir, 'out.txt'), port] },
      ...extra,
    });

  it('by default: no write outside the allow-list, no child process, no network (Node 25+), no host secret; the host goes on', async () => {
    const host = sandboxed({ env: { JAILTHREAD_TEST_OWN: 'mine' } });
    await host.start();
    const [row] = await host.status();
    expect(row?.status).to.deep.equal({
      net: deniedNet(),
      write: 'ERR_ACCESS_DENIED',
      spawn: 'ERR_ACCESS_DENIED',
      secret: undefined,
      own: 'mine',
    });
    expect(existsSync(path.join(dir, 'out.txt'))).to.equal(false);
    expect(row?.state).to.equal('running');
  });

  it('grants what the spec allows: a write path, child processes, the network, a host variable', async () => {
    const host = sandboxed({
      sandbox: { write: [dir], childProcess: true, net: true },
      envAllow: ['PATH', 'JAILTHREAD_TEST_SECRET'],
    });
    await host.start();
    const [row] = await host.status();
    expect(row?.status).to.deep.equal({ net: 'ok', write: 'ok', spawn: 'ok', secret: 'hunter2', own: undefined });
  });

  it('sandbox: false runs the plugin without the permission model', async () => {
    const host = sandboxed({ sandbox: false });
    await host.start();
    const [row] = await host.status();
    expect(row?.status).to.deep.include({ net: 'ok', write: 'ok', spawn: 'ok' });
  });

  it("read paths add to the plugin's own package: its dependencies stay readable", async () => {
    // The calculator's contract imports zod from the app's node_modules.
    const host = trackHost(new PluginHost()).add({
      name: 'calc',
      module: userPlugin('calculator'),
      // The app's folder again: a path granted twice made Node 20 abort at start.
      sandbox: { read: [dir, userApp()] },
    });
    await host.start();
    const [row] = await host.status();
    expect(row?.state).to.equal('running');
  });

  it('says when sandbox.net: false cannot be enforced on this Node, and only then', async () => {
    const warnings: Error[] = [];
    const listen = (warning: Error) => warnings.push(warning);
    process.on('warning', listen);
    try {
      new PluginHost().add({ name: 'boxed', module: userPlugin('sandboxed'), sandbox: { net: false } });
      // 'warning' is emitted on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', listen);
    }
    const codes = warnings.map((warning) => (warning as { code?: string }).code);
    expect(codes.includes('JAILTHREAD_NET_UNRESTRICTED')).to.equal(!networkRestricted());
  });
});
