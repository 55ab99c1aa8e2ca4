import { inline } from '../terminal-text.js';
import { isFail2banStatus } from './format-status.js';
import { type ToldRow, UP_STATES } from './plugin-notes.js';

/** Whether `status` with these rows exits 0 (all doing their work) or 3 (one or more not). */
export const allUp = (rows: readonly ToldRow[]): boolean => rows.every((row) => UP_STATES.includes(row.state));

/**
 * `status` without a name. fail2ban-client's two lines count the jails (the
 * plugins whose status has fail2ban's counters) only; the other plugins, and
 * the ones not running, get lines of their own, so a script that reads
 * "Jail list" is not handed a plugin that is not a jail.
 */
export function formatHostList(rows: readonly ToldRow[]): string {
  const jails = rows.filter((row) => isFail2banStatus(row.status)).map((row) => row.name);
  const others = rows.filter((row) => !isFail2banStatus(row.status)).map((row) => row.name);
  const down = rows.filter((row) => !UP_STATES.includes(row.state)).map((row) => `${row.name} (${row.state})`);
  const lines: [string, string][] = [
    ['Number of jail', String(jails.length)],
    ['Jail list', jails.join(', ')],
  ];
  if (others.length > 0)
    lines.push(['Number of other plugins', String(others.length)], ['Plugin list', others.join(', ')]);
  if (down.length > 0) lines.push(['Not running', down.join(', ')]);
  return `Status\n${lines.map(([label, value], i) => `${i === lines.length - 1 ? '`-' : '|-'} ${label}:\t${inline(value)}\n`).join('')}`;
}

/** `status NAME`'s first line when the plugin is not running: its state and why, before the usual tree. */
export function formatNotRunning(row: ToldRow): string {
  if (row.state === 'running') return '';
  if (row.state === 'idle') return `Idle: ${inline(row.name)} is ${inline(row.reason ?? 'idle')}\n`;
  return `Not running: ${inline(row.name)} is ${row.state}: ${inline(row.reason ?? row.state)}\n`;
}
