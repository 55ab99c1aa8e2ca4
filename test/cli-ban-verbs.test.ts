// `jailthread set NAME banip|unbanip IP...` and `get NAME banned` against a host that forks nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { cli, fakeHost } from './cli-fakes.js';
import { type ControlServer, controlHandler, listenControl } from './cli-modules.js';

describe('cli: set NAME banip|unbanip and get NAME banned', () => {
  let dir: string;
  let socket: string;
  let server: ControlServer;
  const host = fakeHost(['sshd']);

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'jailthread-verbs-'));
    socket = path.join(dir, 'control.sock');
    host.calls.length = 0;
    server = await listenControl(socket, controlHandler(host, { onStopAll: () => undefined }));
  });
  afterEach(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("calls the jail's banip, unbanip and banned methods, and prints their answers", async () => {
    expect(await cli(['set', 'sshd', 'banip', '192.0.2.1', '2001:db8::1', '--socket', socket])).to.deep.equal({
      code: 0,
      stdout: '1\n',
      stderr: '',
    });
    expect((await cli(['set', 'sshd', 'unbanip', '192.0.2.1', '--socket', socket])).stdout).to.equal('1\n');
    expect((await cli(['get', 'sshd', 'banned', '--socket', socket])).stdout).to.equal('203.0.113.7\n');
    expect(host.calls).to.deep.equal([
      ['call', 'sshd', 'banip', { ips: ['192.0.2.1', '2001:db8::1'] }],
      ['call', 'sshd', 'unbanip', { ips: ['192.0.2.1'] }],
      ['call', 'sshd', 'banned', undefined],
    ]);
  });

  it('refuses another verb, a missing address and an unknown jail, and calls nothing', async () => {
    const verb = await cli(['set', 'sshd', 'bantime', '60', '--socket', socket]);
    expect([verb.code, verb.stderr]).to.deep.equal([
      2,
      "jailthread set: expected banip or unbanip after the jail name, got 'bantime'; e.g. jailthread set sshd banip 203.0.113.7 (see 'jailthread set --help')\n",
    ]);
    expect((await cli(['set', 'sshd', 'banip', '--socket', socket])).code).to.equal(2);
    expect((await cli(['get', 'sshd', 'bantime', '--socket', socket])).code).to.equal(2);
    const unknown = await cli(['get', 'ssh', 'banned', '--socket', socket]);
    expect([unknown.code, unknown.stderr]).to.deep.equal([
      1,
      "jailthread get: unknown jail 'ssh'; valid names: sshd; see `jailthread status`\n",
    ]);
    expect(host.calls).to.deep.equal([]);
  });
});
