import type { HostEventName } from './host-api.js';

// PluginHost documents its event names but not their arguments yet, so this
// reads them defensively: a plugin name from a string or from a `name` or
// `plugin` field, and any other plain fields as details.

const PHRASES: Record<HostEventName, string> = {
  crash: 'crashed',
  restart: 'restarting',
  errored: 'gave up restarting (too many restarts); fix it, then run `jailthread restart NAME`',
  unresponsive: 'stopped answering health checks',
  recycle: 'recycled',
  error: 'error',
};

const detail = (value: unknown): string | undefined => {
  if (value instanceof Error) return value.message;
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'object') return String(value);
  const fields = Object.entries(value)
    .filter(([key, field]) => key !== 'name' && key !== 'plugin' && field !== undefined && typeof field !== 'function')
    .map(([key, field]) => `${key} ${field instanceof Error ? field.message : JSON.stringify(field)}`);
  return fields.length > 0 ? fields.join(', ') : undefined;
};

/** One line for stderr describing a host event, e.g. `jailthread: sshd crashed (reason "exit code 1")`. */
export function formatHostEvent(event: HostEventName, args: readonly unknown[]): string {
  let name: string | undefined;
  let rest = [...args];
  const [first] = args;
  if (typeof first === 'string') {
    name = first;
    rest = rest.slice(1);
  } else if (typeof first === 'object' && first !== null && !(first instanceof Error)) {
    const own = (first as { name?: unknown; plugin?: unknown }).plugin ?? (first as { name?: unknown }).name;
    if (typeof own === 'string') name = own;
  }
  const phrase = PHRASES[event].replace('NAME', name ?? 'NAME');
  const details = rest.map(detail).filter((text) => text !== undefined);
  const subject = name === undefined ? '' : `${name} `;
  return `jailthread: ${subject}${phrase}${details.length > 0 ? ` (${details.join('; ')})` : ''}\n`;
}
