import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { JailFilter } from '../lib/jail-filter.js';
import { AuthLogWriter, NGINX_HTTP_AUTH_FAILREGEX, SSHD_FAILREGEX } from '../log-writer.js';

const failed = (ip: string) =>
  `Nov 24 10:15:02 demo sshd[4242]: Failed password for invalid user admin from ${ip} port 52144 ssh2`;
const accepted = (ip: string) =>
  `Nov 24 10:15:02 demo sshd[4243]: Accepted password for alice from ${ip} port 50022 ssh2`;

// fail2ban 1.0's counting: Filter.processLineAndAdd() adds every failure to
// the FailManager (its failTotal is `Total failed`) whether the address is
// banned or not; FailManager.toBan() takes an address that reached maxretry
// out of the failure list (whose size is `Currently failed`); Actions refuses
// to ban it again while banned ("already banned"), so `Total banned` counts it once.
describe('fail2ban example: JailFilter counts failures as fail2ban does', () => {
  const settings = { failregex: SSHD_FAILREGEX, findtime: 600_000, maxretry: 3, bantime: 60_000 };

  it('counts the failures of a banned address too, and bans it once', () => {
    const filter = new JailFilter(settings);
    const bans = [];
    // An attacker that keeps trying through its ban: 8 failures, banned at the 3rd.
    for (let i = 0; i < 8; i++) bans.push(filter.check(failed('203.0.113.7'), i));
    expect(bans.filter(Boolean)).to.deep.equal(['203.0.113.7']);
    expect(bans.indexOf('203.0.113.7')).to.equal(2);
    filter.check(failed('198.51.100.4'), 8);
    filter.check(accepted('192.0.2.15'), 9);
    // 8 + 1 failures; currently failed: 203.0.113.7 (2 since its count restarted at the 6th) and 198.51.100.4.
    expect(filter.counts(10)).to.deep.equal({
      filter: { currentlyFailed: 2, totalFailed: 9 },
      actions: { currentlyBanned: 1, totalBanned: 1, bannedIPList: ['203.0.113.7'] },
    });
  });

  it('bans the address again once its ban has ended and it reaches maxretry anew', () => {
    const filter = new JailFilter(settings);
    for (let i = 0; i < 3; i++) filter.check(failed('203.0.113.7'), i);
    expect(filter.due(60_001), 'banned at 2 for 60 s').to.deep.equal([]);
    expect(filter.due(60_002)).to.deep.equal(['203.0.113.7']);
    expect(filter.check(failed('203.0.113.7'), 60_003)).to.equal(undefined);
    expect(filter.check(failed('203.0.113.7'), 60_004)).to.equal(undefined);
    expect(filter.check(failed('203.0.113.7'), 60_005)).to.equal('203.0.113.7');
    expect(filter.counts(60_006)).to.deep.equal({
      filter: { currentlyFailed: 0, totalFailed: 6 },
      actions: { currentlyBanned: 1, totalBanned: 2, bannedIPList: ['203.0.113.7'] },
    });
  });

  it('lines that do not match are not failures', () => {
    const filter = new JailFilter(settings);
    expect(filter.check(accepted('192.0.2.15'), 0)).to.equal(undefined);
    expect(filter.check('', 0)).to.equal(undefined);
    expect(filter.counts(0).filter).to.deep.equal({ currentlyFailed: 0, totalFailed: 0 });
  });

  // Measured on 2026-11-28 with Debian's fail2ban 1.0.2 (fail2ban-server, polling backend, no action):
  // two jails on the files of these 100 lines, with these regexes less the date (fail2ban strips it),
  // maxretry 3, findtime 60, bantime 600. `fail2ban-client status sshd` said Currently failed 2, Total
  // failed 50, Currently banned 2, Total banned 2; nginx-http-auth 0, 30, 1, 1. The counting before
  // this fix gave sshd a Total failed of 6.
  it("gives the counts fail2ban-client reported for the demo's first 100 lines", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'jailthread-jail-filter-'));
    try {
      const start = new Date(2026, 10, 28, 3, 52, 30);
      const writer = new AuthLogWriter(join(dir, 'auth.log'), { httpPath: join(dir, 'nginx.log'), now: () => start });
      const measured = { maxretry: 3, findtime: 60_000, bantime: 600_000 };
      const sshd = new JailFilter({ ...measured, failregex: SSHD_FAILREGEX });
      const nginx = new JailFilter({ ...measured, failregex: NGINX_HTTP_AUTH_FAILREGEX });
      for (let i = 0; i < 100; i++) {
        const line = await writer.tick();
        sshd.check(line, i * 10);
        nginx.check(line, i * 10);
      }
      expect(sshd.counts(1000).filter).to.deep.equal({ currentlyFailed: 2, totalFailed: 50 });
      expect(sshd.counts(1000).actions).to.include({ currentlyBanned: 2, totalBanned: 2 });
      expect(nginx.counts(1000).filter).to.deep.equal({ currentlyFailed: 0, totalFailed: 30 });
      expect(nginx.counts(1000).actions).to.include({ currentlyBanned: 1, totalBanned: 1 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
