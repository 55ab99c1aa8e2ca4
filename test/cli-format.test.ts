import { expect } from 'chai';
import {
  formatDuration,
  formatHostEvent,
  formatJailList,
  formatJailStatus,
  formatJson,
  type PluginRow,
} from './cli-modules.js';

const row = (patch: Partial<PluginRow>): PluginRow => ({
  name: 'web',
  state: 'running',
  pid: 4242,
  restarts: 1,
  uptime: 3_723_000,
  memory: { rss: 47_395_635, heapUsed: 6_000_000 },
  lastExit: 'exit code 1',
  status: { ticks: 3 },
  ...patch,
});

describe('cli status formatting', () => {
  it('lists the jails like fail2ban-client status', () => {
    expect(formatJailList(['sshd', 'nginx-http-auth'])).to.equal(
      'Status\n|- Number of jail:\t2\n`- Jail list:\tsshd, nginx-http-auth\n',
    );
  });

  it('shows a fail2ban jail’s filter and actions like fail2ban-client status NAME', () => {
    const status = {
      filter: { currentlyFailed: 2, totalFailed: 11, fileList: ['/path/to/auth.log'] },
      actions: { currentlyBanned: 1, totalBanned: 3, bannedIPList: ['203.0.113.7'] },
    };
    expect(formatJailStatus(row({ name: 'sshd', status }))).to.equal(
      [
        'Status for the jail: sshd',
        '|- Filter',
        '|  |- Currently failed:\t2',
        '|  |- Total failed:\t11',
        '|  `- File list:\t/path/to/auth.log',
        '`- Actions',
        '   |- Currently banned:\t1',
        '   |- Total banned:\t3',
        '   `- Banned IP list:\t203.0.113.7',
        '',
      ].join('\n'),
    );
  });

  it('shows any other plugin as a tree of the host’s row', () => {
    expect(formatJailStatus(row({}))).to.equal(
      [
        'Status for the jail: web',
        '|- State:\trunning',
        '|- PID:\t4242',
        '|- Restarts:\t1',
        '|- Uptime:\t1h 2m 3s',
        '|- Memory (RSS):\t45.2 MiB',
        '|- Last exit:\texit code 1',
        '`- Status:\t{"ticks":3}',
        '',
      ].join('\n'),
    );
    const stopped = formatJailStatus(row({ state: 'stopped', pid: null, uptime: null, memory: null, lastExit: null }));
    expect(stopped).to.contain('|- PID:\t-\n|- Restarts:\t1\n|- Uptime:\t-\n|- Memory (RSS):\t-\n|- Last exit:\t-\n');
  });

  it('formats durations and JSON', () => {
    expect(formatDuration(850)).to.equal('850 ms');
    expect(formatDuration(61_000)).to.equal('1m 1s');
    expect(formatDuration(90_061_000)).to.equal('1d 1h 1m 1s');
    expect(formatJson([{ a: 1 }])).to.equal('[\n  {\n    "a": 1\n  }\n]\n');
  });

  it('describes each host event in one line', () => {
    expect(formatHostEvent('crash', [{ plugin: 'sshd', reason: 'exit code 1', exitReason: 'exit' }])).to.equal(
      'jailthread: sshd crashed: exit code 1\n',
    );
    expect(
      formatHostEvent('restart', [{ plugin: 'sshd', attempt: 2, delay: 200, pid: 7, reason: 'unresponsive' }]),
    ).to.equal('jailthread: sshd restarted (attempt 2, after 200 ms, pid 7): unresponsive\n');
    expect(formatHostEvent('errored', [{ plugin: 'sshd', reason: 'budget spent' }])).to.contain(
      'run `jailthread restart sshd`',
    );
    expect(formatHostEvent('error', [new TypeError('boom'), 'sshd'])).to.equal(
      'jailthread: sshd error: TypeError: boom\n',
    );
  });
});
