import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { compileFailregex, JailFilter, LogFollower, matchHost } from 'jailthread/jails/log';
import {
  AuthLogWriter,
  DEMO_ADDRESSES,
  NGINX_HTTP_AUTH_FAILREGEX,
  NGINX_HTTP_AUTH_JAIL_FAILREGEX,
  SSHD_FAILREGEX,
  SSHD_JAIL_FAILREGEX,
} from '../log-writer.js';

// Local time, as the writer formats it: the same strings in every time zone.
const NOV_24 = () => new Date(2026, 10, 24, 10, 15, 2);
const JAN_5 = () => new Date(2026, 0, 5, 9, 3, 7);
const read = async (path: string): Promise<string[]> => (await readFile(path, 'utf8')).split('\n').slice(0, -1);

describe('fail2ban example: AuthLogWriter', () => {
  let dir: string;
  let log: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'jailthread-writer-'));
    log = join(dir, 'auth.log');
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('with httpPath, nginx lines go to their own file and sshd lines stay in the log', async () => {
    const web = join(dir, 'nginx-error.log');
    const writer = new AuthLogWriter(log, { now: NOV_24, httpPath: web });
    const ssh = await writer.failedSsh('203.0.113.7', 'root');
    const http = await writer.failedHttpAuth('203.0.113.9', 'admin');
    expect(await read(log)).to.deep.equal([ssh]);
    expect(await read(web)).to.deep.equal([http]);
  });

  it('writes sshd lines in syslog format and http-auth lines in nginx error-log format', async () => {
    const writer = new AuthLogWriter(log, { now: NOV_24 });
    const written = [
      await writer.failedSsh('203.0.113.7', 'admin'),
      await writer.acceptedSsh('198.51.100.4', 'alice'),
      await writer.failedSsh('203.0.113.7', 'root'),
      await writer.failedHttpAuth('203.0.113.9', 'admin'),
      await writer.failedHttpAuth('203.0.113.9', 'guest'),
    ];
    expect(written).to.deep.equal([
      'Nov 24 10:15:02 demo sshd[4242]: Failed password for invalid user admin from 203.0.113.7 port 57071 ssh2',
      'Nov 24 10:15:02 demo sshd[4243]: Accepted password for alice from 198.51.100.4 port 64990 ssh2',
      'Nov 24 10:15:02 demo sshd[4244]: Failed password for root from 203.0.113.7 port 56525 ssh2',
      '2026/11/24 10:15:02 [error] 311#311: *4 user "admin": password mismatch, client: 203.0.113.9, server: demo, ' +
        'request: "GET /admin HTTP/1.1", host: "demo"',
      '2026/11/24 10:15:02 [error] 311#311: *5 user "guest": was not found in "/etc/nginx/.htpasswd", ' +
        'client: 203.0.113.9, server: demo, request: "GET /admin HTTP/1.1", host: "demo"',
    ]);
    expect(await read(log)).to.deep.equal(written);
  });

  it('pads a one-digit day with a space in syslog lines and a zero in nginx lines', async () => {
    const writer = new AuthLogWriter(log, { now: JAN_5 });
    expect(await writer.failedSsh('192.0.2.1', 'root')).to.match(/^Jan {2}5 09:03:07 demo sshd/);
    expect(await writer.failedHttpAuth('192.0.2.1', 'admin')).to.match(/^2026\/01\/05 09:03:07 \[error\]/);
  });

  it('guesses a user name when failedSsh is given none', async () => {
    const writer = new AuthLogWriter(log, { now: NOV_24 });
    const users = [];
    for (let i = 0; i < 6; i++) users.push((await writer.failedSsh('192.0.2.1')).match(/for (.*) from/)?.[1]);
    expect(users).to.deep.equal([
      'root',
      'invalid user admin',
      'invalid user oracle',
      'invalid user test',
      'invalid user ubuntu',
      'root',
    ]);
  });

  it('appends in call order when the calls are not awaited one by one', async () => {
    const writer = new AuthLogWriter(log, { now: NOV_24 });
    const written = await Promise.all(Array.from({ length: 50 }, () => writer.tick()));
    expect(await read(log)).to.deep.equal(written);
  });

  it('the failregex constants match every failed line with its address, and no accepted line', async () => {
    const regexes = compileFailregex([...SSHD_FAILREGEX, ...NGINX_HTTP_AUTH_FAILREGEX]);
    const writer = new AuthLogWriter(log, { now: JAN_5 });
    for (const ip of ['203.0.113.7', '192.0.2.200', '2001:db8::42', '2001:db8:1:2:3:4:5:6']) {
      for (const user of ['root', 'admin', 'alice', 'no such user']) {
        expect(matchHost(regexes, await writer.failedSsh(ip, user)), `${ip} ${user}`).to.equal(ip);
        expect(matchHost(regexes, await writer.failedHttpAuth(ip, user)), `${ip} ${user}`).to.equal(ip);
        expect(matchHost(regexes, await writer.acceptedSsh(ip, user)), `${ip} ${user}`).to.equal(undefined);
      }
    }
  });

  it('the failregex constants capture the user with their Python-style group', async () => {
    const [sshd] = compileFailregex(SSHD_FAILREGEX);
    const [nginx] = compileFailregex(NGINX_HTTP_AUTH_FAILREGEX);
    const writer = new AuthLogWriter(log, { now: NOV_24 });
    expect(sshd?.exec(await writer.failedSsh('192.0.2.1', 'oracle'))?.groups?.user).to.equal('oracle');
    expect(nginx?.exec(await writer.failedHttpAuth('192.0.2.1', 'admin'))?.groups?.user).to.equal('admin');
  });

  it('tick() plays the same script every time: some addresses fail again and again, some log in', async () => {
    const ticks = async (writer: AuthLogWriter) => {
      const lines: string[] = [];
      for (let i = 0; i < 20; i++) lines.push(await writer.tick());
      return lines;
    };
    const lines = await ticks(new AuthLogWriter(log, { now: NOV_24 }));
    expect(await ticks(new AuthLogWriter(join(dir, 'again.log'), { now: NOV_24 }))).to.deep.equal(lines);

    const regexes = compileFailregex([...SSHD_FAILREGEX, ...NGINX_HTTP_AUTH_FAILREGEX]);
    const failures = new Map<string, number>();
    const logins = new Set<string>();
    for (const line of lines) {
      const ip = matchHost(regexes, line);
      if (ip !== undefined) failures.set(ip, (failures.get(ip) ?? 0) + 1);
      else logins.add(line.match(/Accepted password for \S+ from (\S+)/)?.[1] ?? `not a login: ${line}`);
    }
    const [ssh, user, http, typo] = DEMO_ADDRESSES;
    expect(Object.fromEntries(failures)).to.deep.equal({ [`${ssh}`]: 8, [`${http}`]: 6, [`${typo}`]: 2 });
    expect([...logins]).to.have.members([user, typo]);
  });

  it('tick() shares the parts among fewer addresses', async () => {
    const writer = new AuthLogWriter(log, { now: NOV_24, addresses: ['192.0.2.99'] });
    for (let i = 0; i < 10; i++) expect(await writer.tick()).to.contain(' 192.0.2.99');
    expect(() => new AuthLogWriter(log, { addresses: [] })).to.throw(RangeError, /at least one address/);
  });

  it('rotate() renames the log to .1, replacing it, and starts a new, empty file', async () => {
    const writer = new AuthLogWriter(log, { now: NOV_24 });
    const first = await writer.tick();
    const { ino } = await stat(log);
    await writer.rotate();
    expect(await read(`${log}.1`)).to.deep.equal([first]);
    expect(await readFile(log, 'utf8')).to.equal('');
    expect((await stat(log)).ino).to.not.equal(ino);
    const second = await writer.tick();
    await writer.rotate();
    expect(await read(`${log}.1`)).to.deep.equal([second]);
  });

  it('rotate() before anything was written creates the empty log', async () => {
    await new AuthLogWriter(log).rotate();
    expect(await readFile(log, 'utf8')).to.equal('');
  });

  it('truncate() empties the same file', async () => {
    const writer = new AuthLogWriter(log, { now: NOV_24 });
    await writer.tick();
    const { ino } = await stat(log);
    await writer.truncate();
    expect(await stat(log)).to.include({ ino, size: 0 });
    await writer.tick();
    expect(await read(log)).to.have.length(1);
  });

  it("with the shipped jail's follower and filter, one script cycle bans the two brute forces", async () => {
    const filter = new JailFilter({
      failregex: [...SSHD_JAIL_FAILREGEX, ...NGINX_HTTP_AUTH_JAIL_FAILREGEX],
      findtime: 60_000,
      maxretry: 3,
      bantime: 600_000,
    });
    const follower = new LogFollower(log, { onLine: (line) => filter.check(line, Date.now()) });
    try {
      const writer = new AuthLogWriter(log);
      for (let i = 0; i < 10; i++) {
        await writer.tick();
        if (i === 5) await writer.rotate();
        await follower.poll();
      }
    } finally {
      await follower.close();
    }
    const [ssh, , http] = DEMO_ADDRESSES;
    const { filter: failures, actions } = filter.counts(Date.now());
    expect(actions.bannedIPList).to.deep.equal([ssh, http]);
    expect(failures.totalFailed).to.equal(8);
    expect(failures.currentlyFailed, 'the ssh brute force failed again, and the typo').to.equal(2);
  });
});
