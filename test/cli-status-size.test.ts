import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { cli, fakeHost } from './cli-fakes.js';
import { type ControlServer, controlHandler, listenControl, MAX_RESPONSE_BYTES } from './cli-modules.js';

const MiB = 1024 * 1024;
/** A plugin status of about `bytes` bytes of JSON. */
const statusOfSize = (bytes: number) => ({ blob: 'x'.repeat(bytes) });

describe('cli status: a status too large for the control socket', () => {
  let dir: string;
  let socketPath: string;
  const servers: ControlServer[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'jailthread-size-'));
    socketPath = path.join(dir, 'control.sock');
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
    await rm(dir, { recursive: true, force: true });
  });

  const serve = async (statuses: Record<string, unknown>) => {
    const host = fakeHost(Object.keys(statuses), (name) => statuses[name]);
    servers.push(await listenControl(socketPath, controlHandler(host, { onStopAll: () => {} })));
  };
  const status = (...args: string[]) => cli(['status', ...args, '--socket', socketPath]);

  it('costs that jail its status, with an error naming it; the other jails still show', async () => {
    await serve({ big: statusOfSize(MiB + 500_000), small: { ticks: 3 } });

    const list = await status();
    expect(list).to.include({ code: 0, stderr: '' });
    expect(list.stdout).to.contain('Plugin list:\tbig, small');

    expect(await status('small')).to.include({ code: 0, stderr: '' });

    const big = await status('big');
    const error =
      "its status is 1.5 MiB of JSON, more than the control socket's answers (at most 1.0 MiB for all jails) have room for; make its status() return less";
    expect(big.code).to.equal(1);
    expect(big.stderr).to.equal(`jailthread status: jail 'big': ${error}\n`);
    expect(big.stdout).to.contain('|- State:\trunning\n');
    expect(big.stdout).to.contain(`\`- Status:\t(not shown: ${error})\n`);

    const json = await status('--json');
    expect(json.code).to.equal(1);
    expect(json.stderr).to.equal(`jailthread status: jail 'big': ${error}\n`);
    const rows = JSON.parse(json.stdout) as { name: string; status: unknown; statusError?: string }[];
    expect(rows.map((row) => [row.name, row.status, row.statusError])).to.deep.equal([
      ['big', null, error],
      ['small', { ticks: 3 }, undefined],
    ]);
  });

  it('when statuses fit one by one but not together, drops the largest until the rest fit', async () => {
    const third = Math.floor(MAX_RESPONSE_BYTES * 0.4);
    await serve({ a: statusOfSize(third), b: statusOfSize(third + 1000), c: statusOfSize(third - 1000) });
    const json = await status('--json');
    const rows = JSON.parse(json.stdout) as { name: string; status: { blob?: string } | null; statusError?: string }[];
    expect(rows.map((row) => [row.name, row.status?.blob?.length ?? null])).to.deep.equal([
      ['a', third],
      ['b', null],
      ['c', third - 1000],
    ]);
    expect(json.stderr).to.match(/^jailthread status: jail 'b': its status is 0\.4 MiB of JSON/);
    for (const name of ['a', 'c']) expect(await status(name)).to.include({ code: 0, stderr: '' });
  });

  it('a sparse-array status (500 MB as JSON) is measured, not expanded: that jail’s error, at once', async () => {
    const sparse: number[] = [];
    sparse[1e8 - 1] = 1;
    await serve({ sparse, fine: { ok: true } });
    const json = await status('--json');
    expect(json.code).to.equal(1);
    expect(json.stderr).to.equal(
      "jailthread status: jail 'sparse': its status is more than 8388608 bytes of JSON, more than the control socket's answers have room for; make its status() return less\n",
    );
    expect(JSON.parse(json.stdout)[1]).to.deep.include({ name: 'fine', status: { ok: true } });
  });

  it('a status that cannot be JSON is that jail’s error too', async () => {
    await serve({ odd: { count: 10n }, fine: { ok: true } });
    const json = await status('--json');
    expect(json.code).to.equal(1);
    expect(json.stderr).to.equal(
      "jailthread status: jail 'odd': its status cannot be sent as JSON (Do not know how to serialize a BigInt); make its status() return plain data\n",
    );
    expect(JSON.parse(json.stdout)[1]).to.deep.include({ name: 'fine', status: { ok: true } });
  });
});
