// The log jail's parts that the recorded fail2ban verdicts do not reach: every
// date pattern, CIDR ranges, and fail2ban's count over more than findtime.
import { expect } from 'chai';
import { compileFailregex, dateOf, JailFilter } from 'jailthread/jails/log';

process.env.TZ = 'UTC';

describe('log jail: dates, ranges and counting', () => {
  const now = Date.UTC(2026, 11, 7, 12, 0, 0);

  it('reads each date pattern and cuts the date out of the line', () => {
    const cases: [string, number, string][] = [
      ['Dec  7 11:59:58 web1 sshd[1]: x', Date.UTC(2026, 11, 7, 11, 59, 58), ' web1 sshd[1]: x'],
      ['2026-12-07T13:00:01+02:00 host x', Date.UTC(2026, 11, 7, 11, 0, 1), ' host x'],
      ['2026-12-07 11:00:01.250 host x', Date.UTC(2026, 11, 7, 11, 0, 1, 250), ' host x'],
      ['2026/12/07 11:00:02 [error] x', Date.UTC(2026, 11, 7, 11, 0, 2), ' [error] x'],
      [
        '192.0.2.1 - - [07/Dec/2026:06:00:03 -0500] "GET /"',
        Date.UTC(2026, 11, 7, 11, 0, 3),
        '192.0.2.1 - - [] "GET /"',
      ],
    ];
    for (const [line, time, text] of cases) expect(dateOf(line, undefined, now), line).to.deep.equal({ time, text });
  });

  it('takes last year for a syslog date more than a day ahead, and no date for a line without one', () => {
    expect(dateOf('Dec 31 23:00:00 x', 'syslog', Date.UTC(2027, 0, 1)).time).to.equal(Date.UTC(2026, 11, 31, 23));
    expect(dateOf('no date here', undefined, now)).to.deep.equal({ time: undefined, text: 'no date here' });
  });

  it('ignores addresses in ignoreip ranges, IPv4 and IPv6', () => {
    const filter = new JailFilter({
      failregex: ['from <HOST>'],
      ignoreip: ['10.0.0.0/8', '2001:db8::/32'],
      findtime: 600_000,
      maxretry: 1,
      bantime: 600_000,
    });
    expect(filter.check('from 10.200.3.4', now)).to.equal(undefined);
    expect(filter.check('from 2001:db8:7::1', now)).to.equal(undefined);
    expect(filter.check('from 11.0.0.1', now)).to.equal('11.0.0.1');
    expect(filter.counts(now).filter.totalFailed).to.equal(1);
  });

  it("scales a count spread over more than findtime to its rate, as fail2ban's ticket does", () => {
    const filter = new JailFilter({ failregex: ['from <HOST>'], findtime: 600_000, maxretry: 5, bantime: 600_000 });
    // Four failures in 9 minutes, a fifth 11 minutes after the first: fail2ban scales 4 over 660 s to
    // round(4 / 660 * 600) = 4, then counts the fifth: banned. A window that restarted would not ban.
    // Each line is read a second after it was written, as a jail following the log reads it.
    const line = (minute: number) => {
      const time = now + minute * 60_000;
      return filter.check(`${new Date(time).toISOString()} from 192.0.2.9`, time + 1000);
    };
    for (const minute of [0, 3, 6, 9]) expect(line(minute)).to.equal(undefined);
    expect(line(11)).to.equal('192.0.2.9');
  });

  it('names the pattern that is wrong', () => {
    expect(() => compileFailregex(['from <HOST> ('])).to.throw(TypeError, 'failregex "from <HOST> (" is not a valid');
    expect(
      () =>
        new JailFilter({ failregex: ['x <HOST>'], ignoreip: ['10.0.0.1/40'], findtime: 1, maxretry: 1, bantime: 1 }),
    ).to.throw(TypeError, 'ignoreip "10.0.0.1/40"');
  });
});
