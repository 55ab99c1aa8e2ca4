// Records fail2ban's verdicts on two generated logs into test/fixtures/fail2ban,
// for test/fail2ban-oracle.test.ts to compare the log jail against without
// fail2ban installed. Run once, on a machine with Debian's fail2ban 1.0.2
// (`apt-get install fail2ban`), and commit what it writes:
//   node scripts/record-fail2ban.js
// It writes an auth.log and an nginx error.log whose lines are dated over the
// last half hour, then records, per jail:
//   - fail2ban-regex's matches (`-o ip`: one address per matching line), with
//     the jail's failregex and ignoreregex, and its summary (fail2ban-regex.*.txt);
//   - what `fail2ban-client status JAIL` says once a private fail2ban-server
//     (its own socket, no action, nothing firewalled) has read both logs whole
//     with maxretry 5, findtime 600, bantime 3600 and the jail's ignoreip.
// Everything runs with TZ=UTC, which the test sets too: syslog dates carry no zone.
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const out = fileURLToPath(new URL('../test/fixtures/fail2ban/', import.meta.url));
const env = { ...process.env, TZ: 'UTC' };
const settings = { maxretry: 5, findtime: 600, bantime: 3600 };

const JAILS = {
  sshd: {
    log: 'auth.log',
    failregex: [
      String.raw`sshd\[\d+\]: Failed (?:password|publickey) for (?:invalid user )?(?P<user>\S+) from <HOST> port \d+`,
      String.raw`sshd\[\d+\]: Invalid user \S+ from <ADDR> port \d+`,
      String.raw`sshd\[\d+\]: Connection closed by authenticating user \S+ <HOST> port \d+ \[preauth\]`,
    ],
    ignoreregex: ['for invalid user test-ignored from'],
    ignoreip: ['10.0.0.0/8', '2001:db8:ffff::1'],
  },
  'nginx-http-auth': {
    log: 'nginx-error.log',
    failregex: [
      String.raw`\[error\] \d+#\d+: \*\d+ user "(?:[^"]+|.*?)":? (?:password mismatch|was not found in "[^"]*"), client: <HOST>, server: \S*, request: "\S+ \S+ HTTP/\d+\.\d+", host: "[^"]*"(?:, referrer: "[^"]*")?\s*$`,
    ],
    ignoreregex: [],
    ignoreip: ['127.0.0.1'],
  },
};

// A seeded generator: the same logs each run, but for their dates.
let seed = 20261207;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
};
const pick = (list) => list[Math.floor(random() * list.length)];

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n) => String(n).padStart(2, '0');
const clock = (d) => `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
const syslogDate = (d) => `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${clock(d)}`;
const nginxDate = (d) => `${d.getUTCFullYear()}/${two(d.getUTCMonth() + 1)}/${two(d.getUTCDate())} ${clock(d)}`;

const SSH_ADDRESSES = [
  '203.0.113.7',
  '198.51.100.23',
  '192.0.2.44',
  '2001:db8::bad:1',
  '203.0.113.80',
  '10.1.2.3',
  '2001:db8:ffff::1',
  '198.51.100.99',
];
const HTTP_ADDRESSES = ['203.0.113.50', '198.51.100.7', '2001:db8:1::5', '127.0.0.1', '192.0.2.200'];

function sshLine(at, ip) {
  const pid = 1000 + Math.floor(random() * 9000);
  const port = 1024 + Math.floor(random() * 60000);
  const user = pick(['root', 'admin', 'oracle', 'ubuntu']);
  const kind = random();
  const body =
    kind < 0.45
      ? `Failed password for ${user} from ${ip} port ${port} ssh2`
      : kind < 0.6
        ? `Failed password for invalid user ${user} from ${ip} port ${port} ssh2`
        : kind < 0.72
          ? `Invalid user ${user} from ${ip} port ${port}`
          : kind < 0.8
            ? `Connection closed by authenticating user ${user} ${ip} port ${port} [preauth]`
            : kind < 0.86
              ? `Failed password for invalid user test-ignored from ${ip} port ${port} ssh2`
              : kind < 0.94
                ? `Accepted publickey for alice from ${ip} port ${port} ssh2: ED25519 SHA256:abc`
                : `Disconnected from authenticating user ${user} ${ip} port ${port} [preauth]`;
  return `${syslogDate(at)} web1 sshd[${pid}]: ${body}`;
}

function httpLine(at, ip, n) {
  const user = pick(['admin', 'bob', 'carol']);
  const what = random() < 0.6 ? 'password mismatch' : 'was not found in "/etc/nginx/.htpasswd"';
  const failed = `user "${user}": ${what}, client: ${ip}, server: example.org, request: "GET /private/ HTTP/1.1", host: "example.org"`;
  const body =
    random() < 0.85
      ? failed
      : `open() "/var/www/favicon.ico" failed (2: No such file or directory), client: ${ip}, server: example.org, request: "GET /favicon.ico HTTP/1.1", host: "example.org"`;
  return `${nginxDate(at)} [error] 812#812: *${n} ${body}`;
}

/** Lines dated from 30 minutes ago to 5 s ago, none within 30 s of the findtime edge (fail2ban reads a moment later). */
function lines(now, count, addresses, make) {
  const edge = now - settings.findtime * 1000;
  const times = [];
  while (times.length < count) {
    const at = now - 5000 - Math.floor(random() * 1795) * 1000;
    if (Math.abs(at - edge) > 30_000) times.push(at);
  }
  times.sort((a, b) => a - b);
  // Weighted: the first addresses fail most, so some reach maxretry and some do not.
  return times.map((at, n) => make(new Date(at), addresses[Math.floor(random() ** 2 * addresses.length)], n + 1));
}

const now = Math.floor(Date.now() / 1000) * 1000;
const dir = await mkdtemp(path.join(tmpdir(), 'jailthread-record-fail2ban-'));
const conf = path.join(dir, 'conf');
const client = (...args) => run('fail2ban-client', ['-c', conf, ...args], { encoding: 'utf8', env });
try {
  await mkdir(path.join(conf, 'filter.d'), { recursive: true });
  await mkdir(out, { recursive: true });
  const logs = {
    'auth.log': lines(now, 160, SSH_ADDRESSES, sshLine),
    'nginx-error.log': lines(now, 90, HTTP_ADDRESSES, httpLine),
  };
  for (const [name, text] of Object.entries(logs)) {
    await writeFile(path.join(out, name), `${text.join('\n')}\n`);
    await writeFile(path.join(dir, name), `${text.join('\n')}\n`);
  }
  await writeFile(
    path.join(conf, 'fail2ban.conf'),
    `[Definition]\nloglevel = INFO\nlogtarget = ${dir}/fail2ban.log\nsocket = ${dir}/fail2ban.sock\npidfile = ${dir}/fail2ban.pid\ndbfile = :memory:\n`,
  );
  let jailConf = `[DEFAULT]\nbackend = polling\nusedns = no\nmaxretry = ${settings.maxretry}\nfindtime = ${settings.findtime}\nbantime = ${settings.bantime}\naction =\n`;
  const recorded = { recordedWith: '', now, settings, jails: {} };
  for (const [name, jail] of Object.entries(JAILS)) {
    const filter = `[Definition]\nfailregex = ${jail.failregex.join('\n            ')}\nignoreregex = ${jail.ignoreregex.join('\n              ')}\n`;
    const filterFile = path.join(conf, 'filter.d', `oracle-${name}.conf`);
    await writeFile(filterFile, filter);
    jailConf += `\n[${name}]\nenabled = true\nfilter = oracle-${name}\nlogpath = ${path.join(dir, jail.log)}\nignoreip = ${jail.ignoreip.join(' ')}\n`;
    const regexArgs = ['--usedns=no', path.join(dir, jail.log), filterFile];
    const { stdout: ips } = await run('fail2ban-regex', ['-o', 'ip', ...regexArgs], { encoding: 'utf8', env });
    const { stdout: summary } = await run('fail2ban-regex', regexArgs, { encoding: 'utf8', env, maxBuffer: 1 << 24 });
    await writeFile(path.join(out, `fail2ban-regex.${name}.txt`), summary.replaceAll(dir, '<dir>'));
    const perAddress = {};
    for (const ip of ips.split('\n').filter(Boolean)) perAddress[ip] = (perAddress[ip] ?? 0) + 1;
    recorded.jails[name] = { ...jail, perAddress };
  }
  await writeFile(path.join(conf, 'jail.conf'), jailConf);
  recorded.recordedWith = (await client('--version')).stdout.trim();
  // The server it forks keeps the pipes of execFile open: start it with no pipes.
  const [code] = await once(spawn('fail2ban-client', ['-c', conf, 'start'], { stdio: 'ignore', env }), 'exit');
  if (code !== 0) throw new Error(`fail2ban-client start exited with code ${code}; see ${dir}/fail2ban.log`);
  // The polling backend reads about once a second: wait until both counts stand still.
  let last = '';
  for (let same = 0; same < 3; ) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const statuses = await Promise.all(Object.keys(JAILS).map((name) => client('status', name)));
    const now = JSON.stringify(statuses.map((status) => status.stdout));
    same = now === last ? same + 1 : 0;
    last = now;
  }
  for (const name of Object.keys(JAILS)) {
    const { stdout } = await client('status', name);
    const read = (label) =>
      /: *\t?(.*)$/.exec(stdout.split('\n').find((line) => line.includes(label)) ?? '')?.[1]?.trim() ?? '';
    recorded.jails[name].status = {
      currentlyFailed: Number(read('Currently failed')),
      totalFailed: Number(read('Total failed')),
      currentlyBanned: Number(read('Currently banned')),
      totalBanned: Number(read('Total banned')),
      bannedIPList: read('Banned IP list').split(/\s+/).filter(Boolean),
    };
    await writeFile(path.join(out, `fail2ban-client.${name}.txt`), stdout.replaceAll(dir, '<dir>'));
  }
  await writeFile(path.join(out, 'recorded.json'), `${JSON.stringify(recorded, null, 2)}\n`);
} finally {
  await client('stop').catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
}
