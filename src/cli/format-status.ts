import * as z from 'zod/mini';
import { inline, jsonSafe } from '../terminal-text.js';
import type { StatusRow } from './host-api.js';

// The shapes and the tab between label and value are fail2ban-client's, so
// scripts written against `fail2ban-client status` keep working. Every value
// shown passes through inline(): a plugin's status is the plugin's text, and
// a tab, newline or escape sequence in it must not reach the terminal or
// break the table.

const fail2banStatus = z.looseObject({
  filter: z.looseObject({
    currentlyFailed: z.number(),
    totalFailed: z.number(),
    fileList: z.array(z.string()),
  }),
  actions: z.looseObject({
    currentlyBanned: z.number(),
    totalBanned: z.number(),
    bannedIPList: z.array(z.string()),
  }),
});

/** Whether a plugin's own status has fail2ban's counters: such a plugin is a jail. */
export const isFail2banStatus = (status: unknown): boolean => fail2banStatus.safeParse(status).success;

/** `status` without a name: how many jails and their names. */
export function formatJailList(names: readonly string[]): string {
  return `Status\n|- Number of jail:\t${names.length}\n\`- Jail list:\t${inline(names.join(', '))}\n`;
}

/** `1d 2h 3m 4s`, or milliseconds under a second; '-' when unknown. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '-';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  let seconds = Math.floor(ms / 1000);
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
  ] as const) {
    if (seconds >= size || parts.length > 0) parts.push(`${Math.floor(seconds / size)}${unit}`);
    seconds %= size;
  }
  parts.push(`${seconds}s`);
  return parts.join(' ');
}

/** Bytes as MiB with one decimal; '-' when unknown. */
export const formatBytes = (bytes: number | undefined): string =>
  bytes === undefined ? '-' : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

const statusJson = (status: unknown): string => {
  try {
    return JSON.stringify(status) ?? '-';
  } catch {
    try {
      return String(status);
    } catch {
      return '(cannot be shown)';
    }
  }
};

/**
 * `status NAME`: fail2ban-client's filter/actions tree when the plugin's own
 * status has that shape, otherwise a tree of the host's row.
 */
export function formatJailStatus(row: StatusRow): string {
  const parsed = fail2banStatus.safeParse(row.status);
  const head = `Status for the jail: ${inline(row.name)}\n`;
  if (parsed.success) {
    const { filter, actions } = parsed.data;
    return (
      head +
      `|- Filter\n` +
      `|  |- Currently failed:\t${filter.currentlyFailed}\n` +
      `|  |- Total failed:\t${filter.totalFailed}\n` +
      `|  \`- File list:\t${inline(filter.fileList.join(' '))}\n` +
      `\`- Actions\n` +
      `   |- Currently banned:\t${actions.currentlyBanned}\n` +
      `   |- Total banned:\t${actions.totalBanned}\n` +
      `   \`- Banned IP list:\t${inline(actions.bannedIPList.join(' '))}\n`
    );
  }
  const lines: [string, string][] = [
    ['State', row.state],
    ['PID', row.pid === null ? '-' : String(row.pid)],
    ['Restarts', String(row.restarts)],
    ['Uptime', formatDuration(row.uptime)],
    ['Memory (RSS)', formatBytes(row.memory?.rss)],
    ['Last exit', row.lastExit ?? '-'],
    ['Status', row.statusError === undefined ? statusJson(row.status) : `(not shown: ${row.statusError})`],
  ];
  return (
    head +
    lines.map(([label, value], i) => `${i === lines.length - 1 ? '`-' : '|-'} ${label}:\t${inline(value)}\n`).join('')
  );
}

/** `--json`: the row, or every row, as the host reports them. */
export const formatJson = (value: unknown): string => `${jsonSafe(JSON.stringify(value, null, 2))}\n`;
