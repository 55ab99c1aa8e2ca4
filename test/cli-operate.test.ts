import { lstatSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { execa, execaNode } from 'execa';
import type { PluginRow } from 'jailthread';
import { request } from './cli-modules.js';
import { allGoneWithin, within } from './helpers.js';
import { userApp } from './user-app.js';

// Operating a host as fail2ban-client and pm2 users do, through the installed command:
// a status that tells the truth, --exit-on-errored, reload, logs, call and JSON logs.

const CLI = () => path.join(userApp(), 'node_modules/jailthread/dist/cli.js');
const plugin = (name: string) => path.join(userApp(), 'plugins', `${name}.js`);

type Entry = Record<string, unknown> & { name: string };
const echoer = (name: string, extra: object = {}): Entry => ({
  name,
  module: plugin('echoer'),
  contract: `${plugin('echoer')}#echoContract`,
  ...extra,
});
const exiter = (name: string): Entry => ({
  name,
  module: plugin('exiter'),
  options: { args: [1] },
  restart: 'never',
});

const counter = (name: string): Entry => ({
  name,
  module: plugin('counter'),
  contract: `${plugin('counter')}#counterContract`,
});

const startRun = (...args: string[]) => execaNode(CLI(), ['run', ...args], { reject: false });
type HostProcess = ReturnType<typeof startRun>;

describe('jailthread command: operating a host (status, reload, logs, call, JSON logs)', function () {
  this.timeout(60_000);
  let dir: string;
  let socket: string;
  let config: string;
  let host: HostProcess | undefined;
  /** What the host of run() wrote to stderr so far. */
  let hostStderr = '';
  /** More config for run(), set by the test before it. */
  let runConfig: object = {};

  const cli = (...args: string[]) => execaNode(CLI(), [...args, '--socket', socket], { reject: false });
  const rows = async () => (await request(socket, { command: 'status' })) as PluginRow[];
  const writeConfig = (plugins: Entry[], extra: object = {}) =>
    writeFileSync(config, JSON.stringify({ socket, plugins, ...extra }));

  /** Starts `jailthread run` and waits until every row passes `ready` (the host answers once it listens). */
  async function run(plugins: Entry[], ready: (row: PluginRow) => boolean, ...flags: string[]) {
    writeConfig(plugins, runConfig);
    host = startRun(config, ...flags);
    hostStderr = '';
    host.stderr?.on('data', (chunk: Buffer) => {
      hostStderr += chunk.toString();
    });
    const done = await within(async () => {
      const got = await rows().catch(() => undefined);
      return got !== undefined && got.length === plugins.length && got.every(ready);
    }, 20_000);
    expect(done, 'the host never reached the state').to.equal(true);
    return rows();
  }
  const running = (row: PluginRow) => row.state === 'running';

  beforeEach(() => {
    runConfig = {};
    dir = mkdtempSync(path.join(tmpdir(), 'jailthread-ops-'));
    socket = path.join(dir, 'control.sock');
    config = path.join(dir, 'config.json');
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

  it('status says which plugin is not running and why, with LSB exit codes, and lists jails apart', async () => {
    expect((await cli('status')).exitCode, 'no host').to.equal(1);
    await run([echoer('web'), exiter('broken')], (row) =>
      row.name === 'web' ? running(row) : row.state === 'errored',
    );
    const broken = await cli('status', 'broken');
    expect(broken.exitCode).to.equal(3);
    expect(broken.stdout).to.match(
      /^Not running: broken is errored: given up: it ended \(exit code 1\) and its restart policy is 'never'/,
    );
    expect(broken.stdout).to.include('\nStatus for the jail: broken\n');
    const web = await cli('status', 'web');
    expect(web.exitCode).to.equal(0);
    expect(web.stdout).to.match(/^Status for the jail: web\n/);
    const all = await cli('status');
    expect(all.exitCode).to.equal(3);
    expect(all.stdout).to.equal(
      'Status\n|- Number of jail:\t0\n|- Jail list:\t\n|- Number of other plugins:\t2\n|- Plugin list:\tweb, broken\n`- Not running:\tbroken (errored)',
    );
    expect((await cli('status', '--json')).exitCode).to.equal(3);
    expect((await cli('idle', 'web', 'on')).exitCode).to.equal(0);
    const idle = await cli('status', 'web');
    expect(idle.exitCode, 'idle by request is up').to.equal(0);
    expect(idle.stdout).to.match(/^Idle: web is idle by request: /);
    expect((await cli('stop', 'web')).exitCode).to.equal(0);
    const stopped = await cli('status', 'web');
    expect(stopped.exitCode).to.equal(3);
    expect(stopped.stdout).to.match(/^Not running: web is stopped: `jailthread stop web` stopped it\n/);
    expect((await cli('status', 'nope')).exitCode).to.equal(1);
    expect((await cli('status', '--bogus')).exitCode).to.equal(2);
  });

  it('--exit-on-errored: a plugin given up stops every plugin and the host exits 3', async () => {
    writeConfig([echoer('web'), exiter('broken')]);
    const started = execaNode(CLI(), ['run', config, '--exit-on-errored'], { reject: false });
    const result = await started;
    expect(result.exitCode, result.stderr).to.equal(3);
    expect(result.stderr).to.include('broken was given up and --exit-on-errored is set');
    expect(result.stdout).to.include('[web] ready web');
    expect(await allGoneWithin([started.pid as number], 1_000)).to.equal(true);
  });

  it('reload applies the config: unchanged keeps its process, changed restarts, added starts, removed stops', async () => {
    const before = await run([echoer('keep'), echoer('change'), echoer('drop')], running);
    const pid = (name: string, list: PluginRow[]) => list.find((row) => row.name === name)?.pid;
    writeConfig([echoer('keep'), echoer('change', { shutdownTimeout: 4000 }), echoer('add')]);
    const reload = await cli('reload');
    expect(reload.exitCode, reload.stderr).to.equal(0);
    expect(reload.stdout).to.equal('Added: add\nRemoved: drop\nReloaded: change\nUnchanged: keep');
    const after = await rows();
    expect(after.map((row) => [row.name, row.state])).to.deep.equal([
      ['keep', 'running'],
      ['change', 'running'],
      ['add', 'running'],
    ]);
    expect(pid('keep', after)).to.equal(pid('keep', before));
    expect(pid('change', after)).to.not.equal(pid('change', before));
    expect(await allGoneWithin([pid('drop', before) as number, pid('change', before) as number], 1_000)).to.equal(true);

    // A config that fails its checks changes nothing; the message is run's.
    writeFileSync(
      config,
      JSON.stringify({ socket, plugins: [{ name: 'keep', module: 'x.js', restart: 'sometimes' }] }),
    );
    const bad = await cli('reload');
    expect(bad.exitCode).to.equal(2);
    expect(bad.stderr).to.match(/plugins\[0\]\.restart/);
    expect(bad.stderr).to.include('nothing was changed');
    expect((await rows()).map((row) => row.pid)).to.deep.equal(after.map((row) => row.pid));

    // With NAME, only that entry.
    writeConfig([
      echoer('keep', { shutdownTimeout: 3000 }),
      echoer('change', { shutdownTimeout: 3000 }),
      echoer('add'),
    ]);
    const one = await cli('reload', 'change');
    expect(one.stdout).to.equal('Reloaded: change');
    const last = await rows();
    expect(pid('keep', last)).to.equal(pid('keep', before));
    expect(pid('change', last)).to.not.equal(pid('change', after));
    expect((await cli('reload', 'ghost')).exitCode).to.equal(1);
  });

  it('logs prints the last lines with time and stream, escaped; --follow prints new ones until Ctrl-C', async () => {
    await run([echoer('web')], running);
    for (const text of ['one', 'two', 'th\u001b[2Jree'])
      expect((await cli('call', 'web', 'echo', JSON.stringify(text))).stdout).to.equal(JSON.stringify(text));
    const logs = await cli('logs', 'web', '--lines', '2');
    expect(logs.exitCode, logs.stderr).to.equal(0);
    const lines = logs.stdout.split('\n');
    expect(lines).to.have.length(2);
    expect(lines[0]).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z stdout echo two$/);
    expect(lines[1]).to.match(/ stdout echo th\\u001b\[2Jree$/);
    for (const lines of ['0', '100001', 'many']) {
      const bad = await cli('logs', 'web', '--lines', lines);
      expect(bad.exitCode).to.equal(2);
      expect(bad.stderr).to.include('--lines must be a whole number from 1 to 100000');
    }
    expect((await cli('logs', 'nope')).exitCode).to.equal(1);

    const follow = cli('logs', 'web', '--lines', '1', '--follow');
    let out = '';
    follow.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    expect(await within(() => out.includes('echo th'), 10_000)).to.equal(true);
    await cli('call', 'web', 'echo', '"four"');
    expect(await within(() => out.includes('echo four'), 10_000)).to.equal(true);
    follow.kill('SIGINT');
    expect((await follow).exitCode).to.equal(0);
    expect(out.match(/echo/g)).to.have.length(2);
  });

  it('call passes JSON in and prints JSON out; bad input is refused', async () => {
    await run([echoer('web')], running);
    const bad = await cli('call', 'web', 'echo', '{nope');
    expect(bad.exitCode).to.equal(2);
    expect(bad.stderr).to.include('the input is not JSON');
    const wrong = await cli('call', 'web', 'echo', '42');
    expect(wrong.exitCode).to.equal(1);
    expect(wrong.stderr).to.match(/web/);
    expect((await cli('call', 'web', 'nothing')).exitCode).to.equal(1);
    expect((await cli('call', 'web', 'echo', '"x"', '--timeout', '0')).exitCode).to.equal(2);
    expect((await cli('call', 'web', 'echo', '"x"', '--timeout', '60000')).stdout).to.equal('"x"');
  });

  it('call of a stream method prints a JSON line per item; a client that leaves or stops reading ends it in the plugin', async () => {
    // A client that reads nothing is dropped after the control socket's timeout: 2 s against an endless stream.
    runConfig = { control: { timeout: 2000 } };
    await run([counter('nums')], running);
    const count = await cli('call', 'nums', 'count', '{"to":3}');
    expect(count.exitCode, count.stderr).to.equal(0);
    expect(count.stdout).to.equal('{"n":1}\n{"n":2}\n{"n":3}');
    const none = await cli('call', 'nums', 'count', '{"to":0}');
    expect([none.exitCode, none.stdout]).to.deep.equal([0, '']);
    const fails = await cli('call', 'nums', 'fails');
    expect([fails.exitCode, fails.stdout]).to.deep.equal([1, '1']);
    expect(fails.stderr).to.include('the counter broke');
    const bad = await cli('call', 'nums', 'count', '{"to":"three"}');
    expect(bad.exitCode).to.equal(1);
    expect(bad.stderr).to.include('to');
    expect((await cli('call', 'nums', 'nothing')).stderr).to.include('no method nothing');

    // Ctrl-C: the client leaves, and the plugin's generator ends (its finally prints).
    const reader = cli('call', 'nums', 'forever');
    let out = '';
    reader.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    expect(await within(() => /^1\n2\n/.test(out), 10_000), 'no items came').to.equal(true);
    reader.kill('SIGINT');
    await reader;
    expect(await within(() => hostStderr.includes('[nums] finally'), 10_000), hostStderr).to.equal(true);

    // A client that asks and never reads: the host stops pulling once the socket is full, then drops it.
    const raw = connect(socket);
    raw.on('error', () => {});
    raw.write(`${JSON.stringify({ command: 'call', name: 'nums', method: 'forever' })}\n`);
    try {
      expect(
        await within(() => hostStderr.split('[nums] finally').length === 3, 20_000),
        'the stream of a client that read nothing did not end',
      ).to.equal(true);
    } finally {
      raw.destroy();
    }
    const metrics = (await cli('metrics')).stdout;
    for (const [method, outcome, value] of [
      ['count', 'ok', 2],
      ['count', 'error', 1],
      ['fails', 'error', 1],
      ['forever', 'cancelled', 2],
    ])
      expect(metrics).to.include(
        `jailthread_plugin_streams_total{plugin="nums",method="${method}",outcome="${outcome}"} ${value}`,
      );
    expect(metrics).to.include('jailthread_plugin_stream_items_total{plugin="nums",method="count"} 3');

    // Stopping the host ends a stream under way with an error; nothing waits for its client.
    const cut = cli('call', 'nums', 'forever');
    let seen = '';
    cut.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
    });
    expect(await within(() => seen.includes('\n'), 10_000), 'no items came').to.equal(true);
    expect((await cli('stop')).exitCode).to.equal(0);
    const ended = await cut;
    expect(ended.exitCode).to.equal(1);
    expect(ended.stderr).to.match(/nums/);
  });

  it('--log-format json prints one JSON object per plugin line and host event', async () => {
    await run(
      [echoer('web'), exiter('broken')],
      (row) => row.state === 'running' || row.state === 'errored',
      '--log-format',
      'json',
    );
    await cli('stop');
    const result = await (host as HostProcess);
    host = undefined;
    const stdout = String(result.stdout)
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(stdout[0]).to.include({ plugin: 'web', stream: 'stdout', line: 'ready web' });
    expect(new Date(stdout[0].time).toISOString()).to.equal(stdout[0].time);
    const events = String(result.stderr)
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(events.find((event) => event.event === 'errored')).to.include({ plugin: 'broken' });
    expect(events[0]).to.include({ event: 'host' });
    const bad = await cli('run', config, '--log-format', 'xml');
    expect(bad.exitCode).to.equal(2);
    expect(bad.stderr).to.include('--log-format must be one of text, json');
  });

  it('test CONFIG (and -t) makes every check run makes; run refuses the same config before anything starts', async () => {
    writeConfig([echoer('web'), exiter('broken')]);
    for (const argv of [
      ['test', config],
      ['-t', config],
    ]) {
      const ok = await execaNode(CLI(), argv, { reject: false });
      expect(ok.exitCode, ok.stderr).to.equal(0);
      expect(ok.stdout).to.equal('OK: configuration test is successful');
    }
    writeFileSync(path.join(dir, 'syntax.js'), 'export default class {');
    writeConfig([
      echoer('web'),
      { name: 'ghost', module: path.join(dir, 'ghost.js') },
      { name: 'contract-only', module: plugin('echoer'), export: 'echoContract' },
      { name: 'broken-code', module: path.join(dir, 'syntax.js') },
    ]);
    const bad = await execaNode(CLI(), ['test', config], { reject: false });
    expect(bad.exitCode).to.equal(2);
    const problems = bad.stderr.split('\n');
    expect(problems[0]).to.equal(`jailthread test: config ${config}:`);
    expect(problems.slice(1)).to.have.length(3);
    expect(problems[1]).to.match(
      /plugins\[1\] \('ghost'\)\.module: module file:\S+ghost\.js cannot be found; check the path$/,
    );
    expect(problems[2]).to.match(
      /plugins\[2\] \('contract-only'\)\.module: export 'echoContract' of module \S+ is not a JailThread or Plugin class \(got object\)/,
    );
    expect(problems[3]).to.match(
      /plugins\[3\] \('broken-code'\)\.module: module \S+syntax\.js cannot be loaded: SyntaxError: /,
    );
    const run = await execaNode(CLI(), ['run', config], { reject: false });
    expect(run.exitCode).to.equal(2);
    expect(run.stderr).to.equal(bad.stderr.replace('jailthread test:', 'jailthread run:'));
    expect(() => lstatSync(socket)).to.throw(/ENOENT/);
  });

  it('metrics: `jailthread metrics` and run --metrics serve the Prometheus format, which promtool accepts', async function () {
    const promtool = await execa('promtool', ['--version'], { reject: false }).catch(() => undefined);
    if (promtool?.exitCode !== 0) {
      console.log("      (skipped: promtool is not installed; .ci/run installs it with Debian's prometheus package)");
      this.skip();
    }
    await run([echoer('web'), counter('nums')], running, '--metrics', '127.0.0.1:0');
    await cli('call', 'web', 'echo', '"hi"');
    await cli('call', 'web', 'echo', '7');
    await cli('call', 'nums', 'count', '{"to":2}');
    const text = await cli('metrics');
    expect(text.exitCode, text.stderr).to.equal(0);
    expect(text.stdout).to.include('jailthread_plugin_up{plugin="web"} 1');
    expect(text.stdout).to.include('jailthread_plugin_calls_total{plugin="web",method="echo",outcome="ok"} 1');
    expect(text.stdout).to.include('jailthread_plugin_calls_total{plugin="web",method="echo",outcome="error"} 1');
    expect(text.stdout).to.match(/^jailthread_plugin_status_value\{plugin="web",field="pid"\} \d+$/m);
    expect(text.stdout).to.include('jailthread_plugin_streams_total{plugin="nums",method="count",outcome="ok"} 1');
    const checked = await execa('promtool', ['check', 'metrics'], { input: `${text.stdout}\n`, reject: false });
    expect(checked.exitCode, checked.stdout + checked.stderr).to.equal(0);

    // The address the host printed as it started (before its first status answer): port 0 is any free one.
    const url = (/metrics at (http:\S+)/.exec(hostStderr) as RegExpExecArray)[1] as string;
    const served = await fetch(url);
    expect(served.status).to.equal(200);
    expect(served.headers.get('content-type')).to.match(/^text\/plain; version=0\.0\.4/);
    const body = await served.text();
    expect((await execa('promtool', ['check', 'metrics'], { input: body, reject: false })).exitCode).to.equal(0);
    expect((await fetch(url.replace('/metrics', '/other'))).status).to.equal(404);

    // An address that cannot be bound is refused before anything starts.
    const port = new URL(url).port;
    writeConfig([echoer('web')], { socket: path.join(dir, 'second.sock') });
    for (const [address, message] of [
      [`127.0.0.1:${port}`, 'cannot be bound'],
      ['nonsense', 'expected HOST:PORT'],
    ] as const) {
      const refused = await execaNode(CLI(), ['run', config, '--metrics', address], { reject: false });
      expect(refused.exitCode, refused.stderr).to.equal(2);
      expect(refused.stderr).to.include(message);
      expect(() => lstatSync(path.join(dir, 'second.sock'))).to.throw(/ENOENT/);
    }
    // A second host on the running one's socket is refused, and its metrics server does not keep it alive.
    writeConfig([echoer('web')]);
    const second = await execaNode(CLI(), ['run', config, '--metrics', '127.0.0.1:0'], { reject: false });
    expect(second.exitCode).to.not.equal(0);
    expect(second.stderr).to.include('another jailthread host');
  });

  it('reload NAME --graceful: no call fails, calls under way finish on the old process, state is handed over', async () => {
    const [before] = await run([echoer('web')], running);
    const oldPid = before?.pid as number;
    for (const text of ['a', 'b', 'c'])
      await request(socket, { command: 'call', name: 'web', method: 'echo', input: text });
    // A steady stream of calls, one after another, until the reload is done; and a slow call under way as it begins.
    let reloading = true;
    let calls = 0;
    const failures: string[] = [];
    const stream = (async () => {
      while (reloading) {
        await request(socket, { command: 'call', name: 'web', method: 'echo', input: 'x' }).then(
          () => calls++,
          (error: Error) => failures.push(error.message),
        );
      }
    })();
    const slow = request(socket, { command: 'call', name: 'web', method: 'slow', input: 1500 });
    const reload = await cli('reload', 'web', '--graceful');
    reloading = false;
    await stream;
    expect(reload.exitCode, reload.stderr).to.equal(0);
    expect(reload.stdout).to.equal('Reloaded: web');
    expect(failures).to.deep.equal([]);
    expect(calls).to.be.greaterThan(0);
    expect(await slow, 'the slow call finished on the old process').to.equal(oldPid);
    const [after] = await rows();
    expect(after?.pid).to.not.equal(oldPid);
    expect(after?.state).to.equal('running');
    // The old process handed its count over after its last call: every echo is counted once.
    expect((after?.status as { echoed: number } | undefined)?.echoed).to.equal(3 + calls);
    expect(await allGoneWithin([oldPid], 5_000)).to.equal(true);

    // A new process that cannot start leaves the old one serving, and the command says why.
    writeConfig([{ ...echoer('web'), module: plugin('strict-options'), options: { args: [{}] }, contract: undefined }]);
    const failed = await cli('reload', 'web', '--graceful');
    expect(failed.exitCode).to.equal(1);
    expect(failed.stderr).to.match(
      /the new process did not start \(ZodError: logpath: .*\); the old one goes on serving/,
    );
    const [still] = await rows();
    expect(still).to.include({ pid: after?.pid, state: 'running' });
    expect((await cli('reload', '--graceful')).exitCode).to.equal(2);

    // A reload while another runs is refused, naming it: the first one waits for a held call to drain.
    // The old process waits for its calls up to its shutdownTimeout: time enough for every step under load.
    writeConfig([echoer('web', { shutdownTimeout: 120_000 })]);
    expect((await cli('reload')).stdout).to.equal('Reloaded: web');
    const pidBefore = (await rows())[0]?.pid as number;
    const held = request(
      socket,
      { command: 'call', name: 'web', method: 'hold', timeout: 120_000 },
      { timeout: 130_000 },
    );
    const holding = async () =>
      ((await request(socket, { command: 'logs', name: 'web', lines: 5 })) as { line: string }[]).some(
        (entry) => entry.line === 'holding',
      );
    expect(await within(holding, 20_000)).to.equal(true);
    const first = cli('reload', 'web', '--graceful');
    // Once the new process serves, the first reload is draining the held call on the old one.
    expect(await within(async () => (await rows())[0]?.pid !== pidBefore, 20_000)).to.equal(true);
    const second = await cli('reload');
    expect(second.exitCode).to.equal(1);
    expect(second.stderr).to.include('refused: a reload (of web) is under way');
    process.kill(pidBefore, 'SIGUSR2');
    expect((await first).exitCode).to.equal(0);
    expect(await held).to.equal(pidBefore);
  });
});
