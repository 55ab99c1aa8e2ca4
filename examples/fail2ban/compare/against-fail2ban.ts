// Checks the shipped jail's counting, on the demo's lines, against a real fail2ban (fail2ban-client and
// fail2ban-server on PATH, e.g. Debian's `apt-get install fail2ban`):
//   npm run build && tsc -p examples/tsconfig.json && node build/examples/fail2ban/compare/against-fail2ban.js [LINES]
// It starts a private fail2ban-server (its own socket, no action, so nothing
// is firewalled) with two jails on two logs, writes the demo's first LINES
// lines (default 100) to them, feeds the same lines to the example's
// JailFilter, and prints both sides' counts; exit code 1 when they differ.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { JailFilter } from 'jailthread/jails/log';
import { AuthLogWriter, NGINX_HTTP_AUTH_JAIL_FAILREGEX, SSHD_JAIL_FAILREGEX } from '../log-writer.js';

const run = promisify(execFile);
const lines = Number(process.argv[2] ?? 100);
const settings = { maxretry: 3, findtime: 60, bantime: 600 };
const jails = {
  sshd: { failregex: SSHD_JAIL_FAILREGEX, log: 'auth.log' },
  'nginx-http-auth': { failregex: NGINX_HTTP_AUTH_JAIL_FAILREGEX, log: 'nginx-error.log' },
};

const dir = await mkdtemp(path.join(tmpdir(), 'jailthread-vs-fail2ban-'));
const conf = path.join(dir, 'conf');
const client = (...args: string[]) => run('fail2ban-client', ['-c', conf, ...args], { encoding: 'utf8' });
// Printed once the server is stopped, so a closed stdout cannot leave it running.
let report = '';
try {
  await mkdir(path.join(conf, 'filter.d'), { recursive: true });
  await writeFile(
    path.join(conf, 'fail2ban.conf'),
    `[Definition]\nloglevel = INFO\nlogtarget = ${dir}/fail2ban.log\nsocket = ${dir}/fail2ban.sock\npidfile = ${dir}/fail2ban.pid\ndbfile = :memory:\n`,
  );
  let jailConf = `[DEFAULT]\nbackend = polling\nmaxretry = ${settings.maxretry}\nfindtime = ${settings.findtime}\nbantime = ${settings.bantime}\naction =\n`;
  for (const [name, { failregex, log }] of Object.entries(jails)) {
    const filter = `[Definition]\nfailregex = ${failregex.join('\n            ')}\n`;
    await writeFile(path.join(conf, 'filter.d', `compare-${name}.conf`), filter);
    await writeFile(path.join(dir, log), '');
    jailConf += `\n[${name}]\nenabled = true\nfilter = compare-${name}\nlogpath = ${path.join(dir, log)}\n`;
  }
  await writeFile(path.join(conf, 'jail.conf'), jailConf);
  await client('start');

  const ms = (seconds: number) => seconds * 1000;
  const filters = Object.fromEntries(
    Object.entries(jails).map(([name, { failregex }]) => [
      name,
      new JailFilter({ ...settings, findtime: ms(settings.findtime), bantime: ms(settings.bantime), failregex }),
    ]),
  );
  const writer = new AuthLogWriter(path.join(dir, jails.sshd.log), {
    httpPath: path.join(dir, jails['nginx-http-auth'].log),
  });
  for (let i = 0; i < lines; i++) {
    const line = await writer.tick();
    for (const filter of Object.values(filters)) filter.check(line, Date.now());
  }
  // The polling backend reads the files about once a second.
  await new Promise((resolve) => setTimeout(resolve, 3000));

  let differ = false;
  for (const [name, filter] of Object.entries(filters)) {
    const { stdout } = await client('status', name);
    const read = (label: string) => Number(new RegExp(`${label}:\\s*(\\d+)`).exec(stdout)?.[1]);
    const { filter: f, actions: a } = filter.counts(Date.now());
    const rows: [string, number, number][] = [
      ['Currently failed', f.currentlyFailed, read('Currently failed')],
      ['Total failed', f.totalFailed, read('Total failed')],
      ['Currently banned', a.currentlyBanned, read('Currently banned')],
      ['Total banned', a.totalBanned, read('Total banned')],
    ];
    report += `${name}\n`;
    for (const [label, ours, theirs] of rows) {
      differ ||= ours !== theirs;
      report += `  ${label.padEnd(17)} example ${String(ours).padStart(4)}   fail2ban ${String(theirs).padStart(4)}\n`;
    }
  }
  process.exitCode = differ ? 1 : 0;
} finally {
  await client('stop').catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
}
process.stdout.write(report);
