// `npm start`: a mini fail2ban on the plugin host, with no set-up. It writes
// auth.log- and nginx-style logs as it goes, runs `jailthread run` on an
// embedded config (two jails, a ban recorder, and a plugin that crashes now
// and then), and shows the host's status through `jailthread status --json`.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { execaNode } from 'execa';
import type { PluginRow } from 'jailthread';
import { AuthLogWriter, NGINX_HTTP_AUTH_JAIL_FAILREGEX, SSHD_JAIL_FAILREGEX } from './log-writer.js';
import { renderPlain, renderTable } from './table.js';

const HELP = `Usage: npm start -- [--duration SECONDS]

Runs a mini fail2ban: two jails (sshd, nginx-http-auth) following logs the demo
writes, a recorder plugin that logs bans to a file, and a faulty plugin that
crashes now and then so that its restarts show. Ctrl-C stops everything.

  --duration SECONDS   stop by itself after this many seconds
  -h, --help           show this help
`;

const { values } = parseArgs({
  options: { duration: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  strict: true,
});
if (values.help === true) {
  process.stdout.write(HELP);
  process.exit(0);
}
const duration = values.duration === undefined ? undefined : Number(values.duration);
if (duration !== undefined && !(Number.isFinite(duration) && duration > 0)) {
  process.stderr.write(`demo: --duration must be a number of seconds > 0, got ${values.duration}\n`);
  process.exit(2);
}

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');
const CLI = path.join(root, 'dist/cli.js');
const dir = await mkdtemp(path.join(tmpdir(), 'jailthread-demo-'));
const file = (name: string) => path.join(dir, name);
const socket = file('control.sock');

// The package's own jail and file action, as `jailthread/jails/log` and `jailthread/actions/file` name
// them in a user's config; the config here is in a temporary folder, so it names their files.
const JAIL = path.join(root, 'dist/jails/log.js');
const FILE_ACTION = path.join(root, 'dist/actions/file.js');

const jail = (name: string, logpath: string, failregex: string[]) => ({
  name,
  module: JAIL,
  contract: `${JAIL}#jailContract`,
  options: {
    sleeptime: 200,
    args: [{ logpath, failregex, maxretry: 3, findtime: 60, bantime: 6, from: 'start', pollinterval: 200 }],
  },
  routes: { ban: 'recorder.ban', unban: 'recorder.unban' },
  sandbox: { read: [root, dir] },
});

const config = {
  socket,
  plugins: [
    {
      name: 'recorder',
      module: FILE_ACTION,
      contract: `${FILE_ACTION}#actionContract`,
      options: { args: [{ file: file('bans.log') }] },
      sandbox: { read: [root], write: [file('bans.log')] },
    },
    jail('sshd', file('auth.log'), SSHD_JAIL_FAILREGEX),
    jail('nginx-http-auth', file('nginx-error.log'), NGINX_HTTP_AUTH_JAIL_FAILREGEX),
    {
      name: 'faulty',
      module: path.join(here, 'faulty.js'),
      options: { sleeptime: 500, args: [6] },
      backoff: { initial: 500, resetAfter: 2000 },
      maxRestarts: 1000,
    },
  ],
};
await writeFile(file('config.json'), `${JSON.stringify(config, null, 2)}\n`);

// The writer's script: two addresses keep failing (one over ssh, one over
// http) and get banned, one logs in, one fails once and stays below maxretry.
const writer = new AuthLogWriter(file('auth.log'), { httpPath: file('nginx-error.log') });

const host = execaNode(CLI, ['run', file('config.json')], { reject: false, stdout: 'pipe', stderr: 'pipe' });
const events: string[] = [];
host.stderr.setEncoding('utf8');
host.stderr.on('data', (chunk: string) => {
  for (const line of chunk.split('\n').filter(Boolean)) {
    events.push(line);
    if (!process.stdout.isTTY) process.stdout.write(`event: ${line}\n`);
  }
});

async function status(): Promise<PluginRow[] | undefined> {
  const result = await execaNode(CLI, ['status', '--json', '--socket', socket], { reject: false });
  return result.exitCode === 0 ? (JSON.parse(result.stdout) as PluginRow[]) : undefined;
}

let finishing: Promise<void> | undefined;
const finish = () => {
  finishing ??= (async () => {
    await execaNode(CLI, ['stop', '--socket', socket], { reject: false });
    await host;
  })();
  return finishing;
};
// Ctrl-C reaches the host too (same process group); asking again is harmless.
process.on('SIGINT', () => void finish());
process.on('SIGTERM', () => void finish());

const started = Date.now();
let tick = 0;
let drawn = 0;
// Each plugin's last plain line, so only changes are printed.
const last = new Map<string, string>();
const ticker = setInterval(() => {
  void writer.tick();
  // logrotate, once: the sshd jail must follow the new file.
  if (++tick === 25) void writer.rotate();
}, 300);
const refresh = setInterval(async () => {
  const rows = await status();
  if (rows === undefined || finishing !== undefined) return;
  const seconds = Math.round((Date.now() - started) / 1000);
  if (process.stdout.isTTY) {
    const lines = renderTable(
      rows,
      seconds,
      `node ${path.relative(process.cwd(), CLI)} status sshd --socket ${socket}`,
      events.slice(-4),
    );
    process.stdout.write(`${drawn > 0 ? `\x1b[${drawn}A\x1b[0J` : ''}${lines.join('\n')}\n`);
    drawn = lines.length;
  } else {
    for (const row of rows) {
      const line = renderPlain(row);
      if (line !== last.get(row.name)) process.stdout.write(`seconds=${seconds} ${line}\n`);
      last.set(row.name, line);
    }
  }
  if (duration !== undefined && Date.now() - started >= duration * 1000) void finish();
}, 1000);

const result = await host;
clearInterval(ticker);
clearInterval(refresh);
const bans = await readFile(file('bans.log'), 'utf8').catch(() => '');
process.stdout.write(
  `\nThe host has stopped (${result.exitCode === 0 ? 'cleanly' : `exit code ${result.exitCode}`}). Bans recorded:\n${bans || '(none)\n'}`,
);
await rm(dir, { recursive: true, force: true });
process.exitCode = result.exitCode === 0 ? 0 : 1;
