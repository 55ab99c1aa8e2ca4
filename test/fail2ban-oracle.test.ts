// The log jail against fail2ban 1.0.2, on logs whose verdicts
// scripts/record-fail2ban.js recorded from fail2ban-regex and fail2ban-server
// (test/fixtures/fail2ban): the suite needs no fail2ban.
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { JailFilter } from 'jailthread/jails/log';

// Syslog dates carry no zone: the recording ran with TZ=UTC. Node applies a change of TZ at once.
process.env.TZ = 'UTC';

const fixture = (name: string) => new URL(`../../test/fixtures/fail2ban/${name}`, import.meta.url);

interface RecordedJail {
  log: string;
  failregex: string[];
  ignoreregex: string[];
  ignoreip: string[];
  perAddress: Record<string, number>;
  status: {
    currentlyFailed: number;
    totalFailed: number;
    currentlyBanned: number;
    totalBanned: number;
    bannedIPList: string[];
  };
}
interface Recorded {
  recordedWith: string;
  now: number;
  settings: { maxretry: number; findtime: number; bantime: number };
  jails: Record<string, RecordedJail>;
}

const recorded = JSON.parse(readFileSync(fixture('recorded.json'), 'utf8')) as Recorded;

describe(`log jail: the same verdicts as ${recorded.recordedWith}`, () => {
  for (const [name, jail] of Object.entries(recorded.jails)) {
    const lines = readFileSync(fixture(jail.log), 'utf8').split('\n').filter(Boolean);
    const { maxretry, findtime, bantime } = recorded.settings;
    const filter = () => new JailFilter({ ...jail, maxretry, findtime: findtime * 1000, bantime: bantime * 1000 });

    it(`${name}: the same failures per address as fail2ban-regex`, () => {
      const matcher = filter();
      const perAddress: Record<string, number> = {};
      for (const line of lines) {
        const found = matcher.match(line, recorded.now);
        if (found !== undefined) perAddress[found.ip] = (perAddress[found.ip] ?? 0) + 1;
      }
      expect(perAddress).to.deep.equal(jail.perAddress);
    });

    it(`${name}: the same counts and banned list as fail2ban-client status, maxretry ${maxretry}`, () => {
      const jailFilter = filter();
      for (const line of lines) jailFilter.check(line, recorded.now);
      const { filter: f, actions: a } = jailFilter.counts(recorded.now);
      expect({ ...f, ...a }).to.deep.equal(jail.status);
    });
  }
});
