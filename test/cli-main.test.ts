import { lstat, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { cli, fakeHost, row } from './cli-fakes.js';
import { type ControlServer, controlHandler, listenControl } from './cli-modules.js';

describe('cli main(): the command line', () => {
  let dir: string;
  let socketPath: string;
  const servers: ControlServer[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'jailthread-cli-'));
    socketPath = path.join(dir, 'control.sock');
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
    await rm(dir, { recursive: true, force: true });
  });

  const serveFake = async (names: string[], onStopAll = () => {}) => {
    const host = fakeHost(names);
    servers.push(await listenControl(socketPath, controlHandler(host, { onStopAll })));
    return host;
  };

  it('--help, -h, help and help CMD print usage on stdout and exit 0', async () => {
    const general = await cli(['--help']);
    expect(general.code).to.equal(0);
    for (const command of ['run CONFIG', 'status [NAME] [--json]', 'idle NAME on|off', 'stop [NAME]', 'restart NAME'])
      expect(general.stdout).to.contain(command);
    expect(general.stdout).to.contain('--socket PATH if given, else $JAILTHREAD_SOCKET');
    expect((await cli(['help'])).stdout).to.equal(general.stdout);
    const status = await cli(['status', '-h']);
    expect(status).to.include({ code: 0, stderr: '' });
    expect(status.stdout).to.match(/^Usage: jailthread status \[NAME\] \[--json\]/);
    expect((await cli(['help', 'status'])).stdout).to.equal(status.stdout);
    for (const command of ['run', 'idle', 'stop', 'restart'])
      expect((await cli([command, '--help'])).stdout).to.contain(`Usage: jailthread ${command}`);
  });

  it('bad input exits 2 with one line naming the problem, the fix and --help', async () => {
    const cases: [string[], string][] = [
      [
        [],
        "jailthread: missing command; use one of run, status, idle, stop, restart, reload, logs, call, set, get, test, metrics, help (see 'jailthread --help')",
      ],
      [
        ['bogus'],
        "jailthread: unknown command 'bogus'; use one of run, status, idle, stop, restart, reload, logs, call, set, get, test, metrics, help",
      ],
      [
        ['status', '--jsn'],
        "jailthread status: unknown option '--jsn'; valid options are --socket PATH, -h/--help, --json",
      ],
      [
        ['status', 'a', 'b'],
        "jailthread status: unexpected extra argument 'b'; usage: jailthread status [NAME] [--json]",
      ],
      [['idle', 'sshd'], 'jailthread idle: missing on|off; usage: jailthread idle NAME on|off'],
      [['idle', 'sshd', 'maybe'], "jailthread idle: expected 'on' or 'off' after the jail name, got 'maybe'"],
      [['restart'], 'jailthread restart: missing NAME; usage: jailthread restart NAME'],
      [['run'], 'jailthread run: missing CONFIG; usage: jailthread run CONFIG'],
      [['stop', '--socket'], 'jailthread stop: option --socket needs a value, e.g. --socket PATH'],
      [['status', '--json=yes'], 'jailthread status: option --json takes no value; write just --json'],
      [['help', 'fly'], "jailthread: unknown command 'fly'"],
    ];
    for (const [argv, message] of cases) {
      const result = await cli(argv);
      expect(result.code, argv.join(' ')).to.equal(2);
      expect(result.stdout).to.equal('');
      expect(result.stderr).to.contain(message);
      expect(result.stderr.trimEnd().split('\n'), 'one line').to.have.length(1);
      expect(result.stderr).to.match(/\(see 'jailthread( \w+)? --help'\)\n$/);
    }
  });

  it('exits 1 with the fix when no host runs on the socket', async () => {
    const result = await cli(['status', '--socket', socketPath]);
    expect(result).to.deep.equal({
      code: 1,
      stdout: '',
      stderr: `jailthread status: no jailthread host is running on ${socketPath}; start one with \`jailthread run CONFIG\`\n`,
    });
  });

  it('status lists the jails, or shows one, or prints rows as JSON', async () => {
    await serveFake(['sshd', 'nginx-http-auth']);
    const list = await cli(['--socket', socketPath, 'status']);
    expect(list).to.deep.equal({
      code: 0,
      // The fakes' statuses have no fail2ban counters: plugins, not jails.
      stdout:
        'Status\n|- Number of jail:\t0\n|- Jail list:\t\n|- Number of other plugins:\t2\n`- Plugin list:\tsshd, nginx-http-auth\n',
      stderr: '',
    });
    const one = await cli(['status', 'sshd'], { JAILTHREAD_SOCKET: socketPath });
    expect(one.stdout).to.match(/^Status for the jail: sshd\n\|- State:\trunning\n/);
    const json = await cli(['status', '--json', '--socket', socketPath]);
    expect(JSON.parse(json.stdout)).to.deep.equal([row('sshd'), row('nginx-http-auth')]);
    expect(JSON.parse((await cli(['status', 'sshd', '--json', '--socket', socketPath])).stdout)).to.deep.equal(
      row('sshd'),
    );
  });

  it('an unknown jail exits 1 and lists the valid names', async () => {
    const host = await serveFake(['sshd', 'web']);
    for (const argv of [
      ['status', 'ssh'],
      ['idle', 'ssh', 'on'],
      ['stop', 'ssh'],
      ['restart', 'ssh'],
    ]) {
      const result = await cli([...argv, '--socket', socketPath]);
      expect(result.code, argv.join(' ')).to.equal(1);
      expect(result.stderr).to.equal(
        `jailthread ${argv[0]}: unknown jail 'ssh'; valid names: sshd, web; see \`jailthread status\`\n`,
      );
    }
    expect(host.calls, 'nothing reached the host').to.deep.equal([]);
  });

  it('idle, restart and stop reach the host', async () => {
    let stoppedAll = false;
    const host = await serveFake(['sshd'], () => {
      stoppedAll = true;
    });
    expect((await cli(['idle', 'sshd', 'on', '--socket', socketPath])).stdout).to.equal('Jail sshd is now idle\n');
    expect((await cli(['idle', 'sshd', 'off', '--socket', socketPath])).stdout).to.equal(
      'Jail sshd is no longer idle\n',
    );
    expect((await cli(['restart', 'sshd', '--socket', socketPath])).stdout).to.equal('Jail restarted: sshd\n');
    expect((await cli(['stop', 'sshd', '--socket', socketPath])).stdout).to.equal('Jail stopped: sshd\n');
    expect(stoppedAll).to.equal(false);
    expect((await cli(['stop', '--socket', socketPath])).stdout).to.equal('Shutdown successful\n');
    expect(stoppedAll, 'the host is told to close once it has answered').to.equal(true);
    expect(host.calls).to.deep.equal([
      ['setIdle', 'sshd', true],
      ['setIdle', 'sshd', false],
      ['restart', 'sshd'],
      ['stop', 'sshd'],
      ['stop', undefined],
    ]);
  });

  it('run with a bad config exits 2 with the config error and listens on nothing', async () => {
    const config = path.join(dir, 'jails.json');
    await writeFile(config, JSON.stringify({ plugins: [{ name: 'sshd', module: 'a.js', restart: 'sometimes' }] }));
    const result = await cli(['run', config, '--socket', socketPath]);
    expect(result).to.deep.equal({
      code: 2,
      stdout: '',
      stderr: `jailthread run: config ${config}: plugins[0].restart: must be one of "always", "on-failure", "never" (got "sometimes")\n`,
    });
    expect(await lstat(socketPath).catch(() => undefined)).to.equal(undefined);
  });
});
