import type { PluginRow } from 'jailthread';
import type { LogJailStatus as JailStatus } from 'jailthread/jails/log';

const jailOf = (row: PluginRow): JailStatus | undefined => {
  const status = row.status as Partial<JailStatus> | null | undefined;
  return status?.filter !== undefined && status.actions !== undefined ? (status as JailStatus) : undefined;
};

const cells = (row: PluginRow): string[] => {
  const jail = jailOf(row);
  return [
    row.name,
    row.state,
    String(row.pid ?? '-'),
    String(row.restarts),
    jail === undefined ? '-' : String(jail.filter.totalFailed),
    jail === undefined ? '-' : String(jail.filter.currentlyFailed),
    jail === undefined ? '-' : `${jail.actions.currentlyBanned} (${jail.actions.bannedIPList.join(' ') || 'none'})`,
  ];
};

/** The live table, with the latest host events under it. */
export function renderTable(rows: PluginRow[], seconds: number, command: string, events: string[]): string[] {
  const table = [['plugin', 'state', 'pid', 'restarts', 'failed', 'failing', 'banned'], ...rows.map(cells)];
  const widths = table[0]?.map((_, column) => Math.max(...table.map((line) => (line[column] ?? '').length))) ?? [];
  const lines = table.map((line) => line.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  '));
  return [
    `jailthread mini fail2ban, ${seconds}s; Ctrl-C stops. Try: ${command}`,
    '',
    ...lines,
    '',
    ...events.map((event) => `  ${event}`),
    '',
    'failed: Total failed, failing: Currently failed, banned: Currently banned (Banned IP list), as fail2ban-client says',
  ];
}

// A value goes bare when it has no space, quote or `=`; else as a JSON string (logfmt's quoting).
const logfmtValue = (value: string | number): string =>
  /^[^\s"=]+$/.test(String(value)) ? String(value) : JSON.stringify(String(value));

/**
 * One plugin's row for output that is not a terminal, as `name=value` pairs
 * (logfmt), e.g. `plugin=sshd state=running pid=4242 restarts=0 total_failed=9
 * currently_failed=2 currently_banned=1 banned_ips=203.0.113.7`; a jail's
 * counts are fail2ban-client's, and `banned_ips` is comma-separated, `-` for none.
 */
export function renderPlain(row: PluginRow): string {
  const jail = jailOf(row);
  const fields: [string, string | number][] = [
    ['plugin', row.name],
    ['state', row.state],
    ['pid', row.pid ?? '-'],
    ['restarts', row.restarts],
  ];
  if (jail !== undefined) {
    fields.push(
      ['total_failed', jail.filter.totalFailed],
      ['currently_failed', jail.filter.currentlyFailed],
      ['currently_banned', jail.actions.currentlyBanned],
      ['banned_ips', jail.actions.bannedIPList.join(',') || '-'],
    );
  }
  return fields.map(([name, value]) => `${name}=${logfmtValue(value)}`).join(' ');
}
