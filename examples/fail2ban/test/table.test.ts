import { expect } from 'chai';
import type { PluginRow } from 'jailthread';
import { renderPlain } from '../table.js';

const row = (name: string, status: unknown): PluginRow => ({
  name,
  state: 'running',
  pid: 4242,
  restarts: 1,
  uptime: 5000,
  memory: null,
  lastExit: null,
  status,
});

/** Parses a logfmt line the way a reader's script would. */
const parse = (line: string): Record<string, string> =>
  Object.fromEntries(
    [...line.matchAll(/(\w+)=("(?:[^"\\]|\\.)*"|\S+)/g)].map(([, key, value]) => [
      key,
      value?.startsWith('"') ? JSON.parse(value) : value,
    ]),
  );

describe('fail2ban example: the demo’s plain lines', () => {
  it('name every value, with the jail counts as fail2ban-client names them', () => {
    const jail = row('sshd', {
      filter: { currentlyFailed: 2, totalFailed: 9, fileList: ['/tmp/auth.log'] },
      actions: { currentlyBanned: 2, totalBanned: 3, bannedIPList: ['203.0.113.7', '2001:db8::1'] },
    });
    const line = renderPlain(jail);
    expect(line).to.equal(
      'plugin=sshd state=running pid=4242 restarts=1 total_failed=9 currently_failed=2 currently_banned=2 banned_ips=203.0.113.7,2001:db8::1',
    );
    expect(parse(line)).to.deep.include({ plugin: 'sshd', total_failed: '9', banned_ips: '203.0.113.7,2001:db8::1' });
  });

  it('a plugin that is not a jail has no counts; no pid is -, and a value with a space is quoted', () => {
    const other = { ...row('my recorder', { bans: 1 }), state: 'backoff' as const, pid: null };
    const line = renderPlain(other);
    expect(line).to.equal('plugin="my recorder" state=backoff pid=- restarts=1');
    expect(parse(line)).to.deep.equal({ plugin: 'my recorder', state: 'backoff', pid: '-', restarts: '1' });
  });
});
