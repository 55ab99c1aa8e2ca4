import type { PluginHostEvents } from '../supervisor/events.js';
import { isSchemaFailure, shortError } from '../supervisor/schema-failure.js';
import { block, clip } from '../terminal-text.js';

/** A schema's refusal in one line (its message is a dump of its issues); any other error as it is. */
const crashError = (error: Error): string =>
  error.cause instanceof Error && isSchemaFailure(error.cause) ? shortError(error.cause) : error.message;

/** Characters of a host event line kept; a plugin's error message can be megabytes long. */
export const MAX_EVENT_LINE = 8192;

/** The host events `jailthread run` reports, one line each on stderr. */
export const REPORTED_EVENTS = ['crash', 'restart', 'errored', 'unresponsive', 'recycle', 'error'] as const;
export type HostEventName = (typeof REPORTED_EVENTS)[number];

type Payload<K extends HostEventName> = PluginHostEvents[K];

const LINES: { [K in HostEventName]: (...args: Payload<K>) => string } = {
  crash: ({ plugin, reason, error }) =>
    `${plugin} crashed: ${reason}${error === undefined ? '' : ` (${crashError(error)})`}`,
  restart: ({ plugin, attempt, delay, pid, reason }) =>
    `${plugin} restarted (attempt ${attempt}, after ${delay} ms, pid ${pid ?? 'none'}): ${reason}`,
  errored: ({ plugin, reason }) => `${plugin} given up: ${reason}; run \`jailthread restart ${plugin}\` once fixed`,
  unresponsive: ({ plugin, pid, timeout }) =>
    `${plugin} (pid ${pid ?? 'none'}) did not answer a health check within ${timeout} ms; killing it`,
  recycle: ({ plugin, reason }) => `${plugin} recycled: ${reason}`,
  error: (error, plugin) => `${plugin} error: ${error.name}: ${error.message}`,
};

/**
 * A line for stderr describing a host event, e.g. `jailthread: sshd crashed:
 * exit code 1`. Reasons and errors come from plugins: their control
 * characters are escaped, and the lines of a multi-line message are indented
 * under this one, so no line of theirs can read as the host's; past
 * MAX_EVENT_LINE characters the text is cut.
 */
export function formatHostEvent<K extends HostEventName>(event: K, args: Payload<K>): string {
  return `jailthread: ${block(clip((LINES[event] as (...args: Payload<K>) => string)(...args), MAX_EVENT_LINE))}\n`;
}
