import type { PluginRow } from 'jailthread';
import type { JailStatus } from './jail.js';

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
    jail === undefined ? '-' : `${jail.actions.currentlyBanned} (${jail.actions.bannedIPList.join(' ') || 'none'})`,
  ];
};

/** The live table, with the latest host events under it. */
export function renderTable(rows: PluginRow[], seconds: number, command: string, events: string[]): string[] {
  const table = [['plugin', 'state', 'pid', 'restarts', 'failed', 'banned'], ...rows.map(cells)];
  const widths = table[0]?.map((_, column) => Math.max(...table.map((line) => (line[column] ?? '').length))) ?? [];
  const lines = table.map((line) => line.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  '));
  return [
    `jailthread mini fail2ban, ${seconds}s; Ctrl-C stops. Try: ${command}`,
    '',
    ...lines,
    '',
    ...events.map((event) => `  ${event}`),
  ];
}

/** One line for output that is not a terminal. */
export function renderPlain(rows: PluginRow[]): string {
  return rows.map((row) => cells(row).join(' ')).join(' | ');
}
