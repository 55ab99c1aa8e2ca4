import { existsSync, lstatSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { execaNode } from 'execa';
import type { PluginRow } from 'jailthread';
import type { LogJailStatus as JailStatus } from 'jailthread/jails/log';
import { AuthLogWriter, SSHD_JAIL_FAILREGEX } from '../examples/fail2ban/log-writer.js';
import { request } from './cli-modules.js';
import { allGoneWithin } from './helpers.js';
import { userApp } from './user-app.js';

// The command and the shipped jail and action as a user has them: installed, in a package of the user's.
// (The config is in a temporary folder, outside the user's package: it names the installed files.)
const CLI = () => path.join(userApp(), 'node_modules/jailthread/dist/cli.js');
const JAIL = () => path.join(userApp(), 'node_modules/jailthread/dist/jails/log.js');
const FILE_ACTION = () => path.join(userApp(), 'node_modules/jailthread/dist/actions/file.js');

type Row = PluginRow & { status: Partial<JailStatus> | null };

/** Runs `jailthread ARGS` against the test's socket and returns its result. */
const cli = (socket: string, ...args: string[]) => execaNode(CLI(), [...args, '--socket', socket], { reject: false });

/** The host's status rows, read over its control socket. */
const status = async (socket: string) => (await request(socket, { command: 'status' })) as Row[];

/**
 * Polls the host's status until `test` passes: the host's state has no
 * message to wait for, so a deadline bounds the wait instead of a sleep.
 */
async function statusUntil(socket: string, test: (rows: Row[]) => boolean, ms = 10_000): Promise<Row[]> {
  const deadline = performance.now() + ms;
  let last: unknown;
  for (;;) {
    // Before the host listens, the request fails: that is one more poll.
    const rows = await status(socket).catch((error: Error) => {
      last = error.message;
      return undefined;
    });
    if (rows !== undefined && test(rows)) return rows;
    if (rows !== undefined) last = JSON.stringify(rows);
    if (performance.now() > deadline) throw new Error(`status never matched; last: ${String(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const startHost = (config: string, cwd = process.cwd()) => execaNode(CLI(), ['run', config], { reject: false, cwd });
type HostProcess = ReturnType<typeof startHost>;

const banned = (rows: Row[], jail: string) =>
  rows.find((row) => row.name === jail)?.status?.actions?.bannedIPList ?? [];

describe('jailthread command: a mini fail2ban, end to end', function () {
  this.timeout(60_000);
  let dir: string;
  let socket: string;
  let host: HostProcess | undefined;
  const file = (name: string) => path.join(dir, name);

  const writeConfig = (overrides: object = {}) => {
    const config = {
      socket,
      plugins: [
        {
          name: 'recorder',
          module: FILE_ACTION(),
          contract: `${FILE_ACTION()}#actionContract`,
          options: { args: [{ file: file('bans.log') }] },
          sandbox: { write: [file('bans.log')] },
        },
        {
          name: 'sshd',
          module: JAIL(),
          contract: `${JAIL()}#jailContract`,
          options: {
            sleeptime: 10,
            args: [
              {
                logpath: file('auth.log'),
                failregex: SSHD_JAIL_FAILREGEX,
                maxretry: 3,
                bantime: 600,
                pollinterval: 10,
              },
            ],
          },
          routes: { ban: 'recorder.ban', unban: 'recorder.unban' },
          sandbox: { read: [dir] },
        },
      ],
      ...overrides,
    };
    writeFileSync(file('config.json'), JSON.stringify(config));
    return file('config.json');
  };

  /** Starts `jailthread run` and resolves once every plugin runs. */
  async function run(): Promise<Row[]> {
    host = startHost(writeConfig());
    return statusUntil(socket, (rows) => rows.every((row) => row.state === 'running'));
  }

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'jailthread-cli-'));
    socket = file('control.sock');
  });
  afterEach(async () => {
    if (host !== undefined) {
      await cli(socket, 'stop');
      host.kill('SIGKILL');
      await host;
      host = undefined;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it("a plugin's relative paths resolve against the config's folder, wherever the host was started from", async () => {
    const config = writeConfig();
    const written = JSON.parse(readFileSync(config, 'utf8'));
    written.plugins[0].options.args = [{ file: './bans.log' }];
    written.plugins[0].sandbox.write = ['./bans.log'];
    writeFileSync(config, JSON.stringify(written));
    host = startHost(config, tmpdir());
    await statusUntil(socket, (rows) => rows.every((row) => row.state === 'running'));
    const log = new AuthLogWriter(file('auth.log'));
    for (let i = 0; i < 3; i++) await log.failedSsh('203.0.113.9');
    // Written where the config is, not in the host's folder (where the sandbox would deny it).
    const recorded = () => existsSync(file('bans.log')) && readFileSync(file('bans.log'), 'utf8');
    await statusUntil(socket, () => String(recorded()).includes('"action":"ban","jail":"sshd","ip":"203.0.113.9"'));
    const [recorder] = await status(socket);
    expect(recorder).to.deep.include({ name: 'recorder', restarts: 0 });
    expect(recorder?.status).to.include({ file: file('bans.log') });
  });

  it('bans the address that fails maxretry times, records it, and reports it in both shapes', async () => {
    await run();
    const log = new AuthLogWriter(file('auth.log'));
    for (let i = 0; i < 3; i++) await log.failedSsh('203.0.113.7');
    await log.failedSsh('198.51.100.4');
    await log.acceptedSsh('192.0.2.15', 'alice');
    await statusUntil(socket, (rows) => banned(rows, 'sshd').includes('203.0.113.7'));
    const text = await cli(socket, 'status', 'sshd');
    expect(text.stdout).to.equal(
      [
        'Status for the jail: sshd',
        '|- Filter',
        '|  |- Currently failed:\t1',
        '|  |- Total failed:\t4',
        `|  \`- File list:\t${file('auth.log')}`,
        '`- Actions',
        '   |- Currently banned:\t1',
        '   |- Total banned:\t1',
        '   `- Banned IP list:\t203.0.113.7',
      ].join('\n'),
    );
    const json = JSON.parse((await cli(socket, 'status', 'sshd', '--json')).stdout) as Row;
    expect(json).to.deep.include({ name: 'sshd', state: 'running' });
    expect((await cli(socket, 'status')).stdout).to.equal(
      'Status\n|- Number of jail:\t1\n|- Jail list:\tsshd\n|- Number of other plugins:\t1\n`- Plugin list:\trecorder',
    );
    const [record] = readFileSync(file('bans.log'), 'utf8').split('\n', 1);
    expect(JSON.parse(record as string)).to.deep.include({
      action: 'ban',
      jail: 'sshd',
      ip: '203.0.113.7',
      bantime: 600,
      failures: 3,
    });
  });

  it('follows the log through rotation', async () => {
    await run();
    const log = new AuthLogWriter(file('auth.log'));
    await log.failedSsh('203.0.113.7');
    // The jail has the old file open and has read it: the rotation happens under its feet.
    await statusUntil(socket, (rows) => rows[1]?.status?.filter?.totalFailed === 1);
    await log.rotate();
    for (let i = 0; i < 3; i++) await log.failedSsh('203.0.113.9');
    const rows = await statusUntil(socket, (rows) => banned(rows, 'sshd').includes('203.0.113.9'));
    expect(banned(rows, 'sshd')).to.deep.equal(['203.0.113.9']);
    expect(rows[1]?.status?.filter?.totalFailed).to.equal(4);
  });

  it('idle, restart and stop drive one jail; an unknown jail is an error listing the valid ones', async () => {
    const [, before] = await run();
    // Each command is answered once the host has done it: one status read shows it.
    const now = () => status(socket);
    expect((await cli(socket, 'idle', 'sshd', 'on')).exitCode).to.equal(0);
    expect((await now())[1]?.state).to.equal('idle');
    const unknown = await cli(socket, 'idle', 'ssh', 'on');
    expect(unknown.exitCode).to.equal(1);
    expect(unknown.stderr).to.include('recorder, sshd');
    const bad = await cli(socket, 'idle', 'sshd', 'maybe');
    expect(bad.exitCode).to.equal(2);
    expect((await cli(socket, 'restart', 'sshd')).exitCode).to.equal(0);
    const [, after] = await now();
    expect(after?.restarts).to.equal(1);
    expect(after?.pid).to.not.equal(before?.pid);
    expect((await cli(socket, 'stop', 'sshd')).exitCode).to.equal(0);
    expect((await now())[1]?.state).to.equal('stopped');
  });

  it('the socket is 0600; stop ends the host and every plugin process', async () => {
    const rows = await run();
    expect(lstatSync(socket).mode & 0o777).to.equal(0o600);
    const pids = rows.map((row) => row.pid as number);
    const running = host as HostProcess;
    const stop = await cli(socket, 'stop');
    expect(stop.exitCode).to.equal(0);
    const result = await running;
    host = undefined;
    expect(result.exitCode).to.equal(0);
    expect(await allGoneWithin([...pids, running.pid as number], 1_000)).to.equal(true);
  });

  it('a second host on the same socket refuses to start; a stale socket is replaced', async () => {
    await run();
    const second = await execaNode(CLI(), ['run', file('config.json')], { reject: false });
    expect(second.exitCode).to.not.equal(0);
    expect(second.stderr).to.include('another jailthread host');
    const first = host as HostProcess;
    first.kill('SIGKILL');
    await first;
    host = undefined;
    expect(lstatSync(socket).isSocket(), 'the dead host left its socket').to.equal(true);
    await run();
  });

  it('a bad config is refused with the field and the fix, and nothing starts', async () => {
    writeFileSync(
      file('bad.json'),
      JSON.stringify({ socket, plugins: [{ name: 'x', module: 'x.js', restart: 'sometimes' }] }),
    );
    const result = await execaNode(CLI(), ['run', file('bad.json')], { reject: false });
    expect(result.exitCode).to.equal(2);
    expect(result.stderr).to.match(/plugins\[0\]\.restart/);
    expect(result.stderr).to.include('on-failure');
    expect(() => lstatSync(socket)).to.throw(/ENOENT/);
  });

  it('npm start: the demo runs two jails and a faulty plugin, and ends by itself with --duration', async () => {
    // The demo is the repository's own `npm start`, run from its build.
    const demoScript = fileURLToPath(new URL('../examples/fail2ban/demo.js', import.meta.url));
    const demo = await execaNode(demoScript, ['--duration', '6'], { reject: false });
    expect(demo.exitCode, demo.stderr).to.equal(0);
    expect(demo.stdout).to.match(/^seconds=\d+ plugin=sshd state=running pid=\d+ restarts=0 total_failed=\d+ /m);
    expect(demo.stdout).to.match(/^seconds=\d+ plugin=nginx-http-auth state=running /m);
    expect(demo.stdout).to.include('The host has stopped (cleanly)');
    expect(demo.stdout).to.include('"action":"ban","jail":"sshd","ip":"203.0.113.7"');
    expect(demo.stdout).to.include('"action":"ban","jail":"nginx-http-auth","ip":"203.0.113.9"');
  });
});
