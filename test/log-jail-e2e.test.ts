// The shipped log jail and actions as a user runs them: a config in the
// user's package names them by package specifier, and the installed
// `jailthread` command runs and drives them.
import {
  appendFileSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { execaNode } from 'execa';
import type { PluginRow } from 'jailthread';
import type { LogJailStatus } from 'jailthread/jails/log';
import { request } from './cli-modules.js';
import { userApp } from './user-app.js';

const CLI = () => path.join(userApp(), 'node_modules/jailthread/dist/cli.js');
const launchHost = (config: string) => execaNode(CLI(), ['run', config], { reject: false });
type Row = PluginRow & { status: LogJailStatus | null };

const failure = (ip: string) =>
  `${new Date().toISOString()} web1 sshd[4242]: Failed password for root from ${ip} port 52144 ssh2\n`;

describe('log jail: jailthread/jails/log and its actions through the installed command', function () {
  this.timeout(60_000);
  let dir: string;
  let host: ReturnType<typeof launchHost> | undefined;
  // What the host printed to stderr: its events, a plugin's start error among them.
  let events = '';
  const file = (name: string) => path.join(dir, name);
  const cli = (...args: string[]) => execaNode(CLI(), [...args, '--socket', file('control.sock')], { reject: false });
  const rows = () => request(file('control.sock'), { command: 'status' }) as Promise<Row[]>;
  const jail = async () => (await rows()).find((row) => row.name === 'sshd') as Row;

  /** Polls the status until `test` passes: the jail's counts have no message to wait for, so a deadline bounds it. */
  async function until(test: (row: Row) => boolean, ms = 15_000): Promise<Row> {
    const deadline = performance.now() + ms;
    let last = '';
    for (;;) {
      const row = await jail().catch((error: Error) => {
        last = error.message;
        return undefined;
      });
      if (row !== undefined && test(row)) return row;
      if (row !== undefined) last = JSON.stringify(row);
      if (performance.now() > deadline) throw new Error(`status never matched; last: ${last}; host events: ${events}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  function config(settings: object = {}, action?: object): string {
    const plugins = [
      action ?? {
        name: 'recorder',
        module: 'jailthread/actions/file',
        contract: 'jailthread/actions/file#actionContract',
        options: { args: [{ file: 'bans.jsonl' }] },
        sandbox: { write: ['bans.jsonl'] },
      },
      {
        name: 'sshd',
        module: 'jailthread/jails/log',
        contract: 'jailthread/jails/log#jailContract',
        options: {
          sleeptime: 20,
          args: [
            {
              logpath: 'auth.log',
              failregex: ['Failed password for .* from <HOST> port \\d+'],
              maxretry: 3,
              pollinterval: 20,
              retry: { initial: 20, max: 100 },
              ...settings,
            },
          ],
        },
        routes: {
          ban: `${action === undefined ? 'recorder' : 'action'}.ban`,
          unban: `${action === undefined ? 'recorder' : 'action'}.unban`,
        },
        sandbox: { read: ['.'], write: ['state'] },
      },
    ];
    writeFileSync(file('config.json'), JSON.stringify({ socket: 'control.sock', plugins }));
    return file('config.json');
  }

  function launch(configFile: string): void {
    host = launchHost(configFile);
    host.stderr?.on('data', (chunk: Buffer) => {
      events += chunk.toString();
    });
  }

  async function start(configFile = config()): Promise<Row> {
    launch(configFile);
    return until((row) => row.state === 'running');
  }

  async function stop(): Promise<void> {
    if (host === undefined) return;
    await cli('stop');
    await host;
    host = undefined;
  }

  const records = () =>
    existsSync(file('bans.jsonl'))
      ? readFileSync(file('bans.jsonl'), 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as { action: string; ip: string; jail: string })
      : [];

  beforeEach(() => {
    // In the user's package, where `jailthread/jails/log` resolves from.
    dir = mkdtempSync(path.join(userApp(), 'log-jail-'));
    events = '';
    writeFileSync(file('auth.log'), '');
  });
  afterEach(async () => {
    if (host !== undefined) {
      await cli('stop');
      host.kill('SIGKILL');
      await host;
      host = undefined;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('bans after maxretry failures, shows fail2ban-client status, and the file action records the ban', async () => {
    await start();
    for (let i = 0; i < 3; i++) appendFileSync(file('auth.log'), failure('203.0.113.7'));
    await until((row) => row.status?.actions.bannedIPList.includes('203.0.113.7') === true);
    const text = await cli('status', 'sshd');
    expect(text.stdout)
      .to.include('|  |- Total failed:\t3\n')
      .and.match(/`- Banned IP list:\t203\.0\.113\.7$/);
    await until(() => records().length === 1);
    expect(records()[0]).to.include({ action: 'ban', jail: 'sshd', ip: '203.0.113.7' });
  });

  it('set NAME banip, get NAME banned and set NAME unbanip, as fail2ban-client has them', async () => {
    await start();
    const ban = await cli('set', 'sshd', 'banip', '192.0.2.1', '2001:db8::1');
    expect([ban.exitCode, ban.stdout]).to.deep.equal([0, '2']);
    expect((await cli('get', 'sshd', 'banned')).stdout).to.equal('192.0.2.1\n2001:db8::1');
    const unban = await cli('set', 'sshd', 'unbanip', '192.0.2.1');
    expect([unban.exitCode, unban.stdout]).to.deep.equal([0, '1']);
    expect((await cli('get', 'sshd', 'banned')).stdout).to.equal('2001:db8::1');
    await until(() => records().length === 3);
    expect(records().map(({ action, ip }) => `${action} ${ip}`)).to.deep.equal([
      'ban 192.0.2.1',
      'ban 2001:db8::1',
      'unban 192.0.2.1',
    ]);
    const bad = await cli('set', 'sshd', 'banip', 'not-an-ip');
    expect(bad.exitCode).to.equal(1);
    expect(bad.stderr).to.include('banip');
  });

  it('follows its log across rotation by rename and create, and by copy and truncate', async () => {
    await start();
    appendFileSync(file('auth.log'), failure('203.0.113.7'));
    await until((row) => row.status?.filter.totalFailed === 1);
    appendFileSync(file('auth.log'), failure('203.0.113.7'));
    renameSync(file('auth.log'), file('auth.log.1'));
    writeFileSync(file('auth.log'), failure('203.0.113.7'));
    await until((row) => row.status?.actions.bannedIPList.includes('203.0.113.7') === true);
    copyFileSync(file('auth.log'), file('auth.log.2'));
    truncateSync(file('auth.log'), 0);
    for (let i = 0; i < 3; i++) appendFileSync(file('auth.log'), failure('198.51.100.4'));
    const row = await until((row) => row.status?.actions.bannedIPList.includes('198.51.100.4') === true);
    expect(row.status?.filter.totalFailed).to.equal(6);
    expect(row.restarts).to.equal(0);
  });

  it('keeps its bans in dbfile across a restart; a ban that ended meanwhile is unbanned at start', async () => {
    const settings = { dbfile: 'state/bans.json', bantime: 3600 };
    mkdirSync(file('state'));
    await start(config(settings));
    await cli('set', 'sshd', 'banip', '192.0.2.1');
    await until(
      () => existsSync(file('state/bans.json')) && readFileSync(file('state/bans.json'), 'utf8').includes('192.0.2.1'),
    );
    await stop();
    // One more, as an earlier run would have left it: banned an hour ago for a minute.
    const store = JSON.parse(readFileSync(file('state/bans.json'), 'utf8'));
    store.bans.push({ ip: '198.51.100.4', at: Date.now() - 3_600_000, end: Date.now() - 3_540_000 });
    writeFileSync(file('state/bans.json'), JSON.stringify(store));
    await start(config(settings));
    expect((await cli('get', 'sshd', 'banned')).stdout).to.equal('192.0.2.1');
    await until(() => records().some(({ action, ip }) => action === 'unban' && ip === '198.51.100.4')).catch(
      (error) => {
        throw new Error(`${error.message}; recorded: ${JSON.stringify(records())}; events: ${events}`);
      },
    );
    await until(() => !readFileSync(file('state/bans.json'), 'utf8').includes('198.51.100.4')).catch((error) => {
      throw new Error(`${error.message}; events: ${events}`);
    });
  });

  it('an action that fails is retried with backoff; the jail keeps the ban and does not crash', async () => {
    const flag = file('action-works');
    const action = {
      name: 'action',
      module: 'jailthread/actions/command',
      contract: 'jailthread/actions/command#actionContract',
      // Fails until the flag file exists; the address reaches the command as an argument, never as shell code.
      options: {
        args: [
          {
            ban: ['sh', '-c', 'test -e "$0" && echo "ban $1" >> "$2"', flag, '<ip>', file('done.log')],
            unban: ['sh', '-c', 'echo "unban $1" >> "$2"', flag, '<ip>', file('done.log')],
            timeout: 10_000,
          },
        ],
      },
      sandbox: { childProcess: true },
    };
    await start(config({}, action));
    for (let i = 0; i < 3; i++) appendFileSync(file('auth.log'), failure('203.0.113.7'));
    const failing = await until((row) => (row.status?.actions.lastError ?? '') !== '');
    expect(failing.status?.actions).to.include({ currentlyBanned: 1, pending: 1 });
    expect(failing.status?.actions.lastError).to.include('ban 203.0.113.7');
    writeFileSync(flag, '');
    const done = await until((row) => row.status?.actions.pending === 0);
    expect(done.restarts).to.equal(0);
    expect(done.status?.actions.lastError).to.equal(undefined);
    expect(readFileSync(file('done.log'), 'utf8')).to.equal('ban 203.0.113.7\n');
  });

  it('waits for a log file that does not exist yet, and says so in its status', async () => {
    rmSync(file('auth.log'));
    await start();
    await until((row) => row.status?.filter.waitingFor.length === 1);
    for (let i = 0; i < 3; i++) appendFileSync(file('auth.log'), failure('203.0.113.7'));
    const row = await until((row) => row.status?.actions.currentlyBanned === 1);
    expect(row.status?.filter.waitingFor).to.deep.equal([]);
  });

  for (const [what, settings, says] of [
    ['a failregex without <HOST>', { failregex: ['Failed password'] }, `failregex "Failed password" has no <HOST>`],
    ['a failregex that does not compile', { failregex: ['from <HOST> ('] }, `failregex "from <HOST> (" is not a valid`],
    [
      'an ignoreip that is no address or range',
      { ignoreip: ['10.0.0.0/33'] },
      `ignoreip "10.0.0.0/33" is no IP address`,
    ],
  ] as const) {
    it(`refuses ${what}, naming the jail and the setting`, async () => {
      launch(config(settings));
      await until((row) => row.lastExit !== null);
      await until(() => events.includes(says));
      expect(events).to.include(`jail 'sshd': ${says}`);
    });
  }
});
