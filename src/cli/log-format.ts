import type { PluginHostEvents } from '../supervisor/events.js';
import { clip, inline } from '../terminal-text.js';
import { formatHostEvent, type HostEventName, MAX_EVENT_LINE } from './host-events.js';
import type { RingLine } from './log-ring.js';

/** How `jailthread run` prints plugin lines and host events. */
export type LogFormat = 'text' | 'json';
export const LOG_FORMATS: readonly LogFormat[] = ['text', 'json'];

/** A plugin's line as `run` prints it: `[name] line`, or one JSON object. */
export function formatPluginLine(format: LogFormat, plugin: string, kept: RingLine): string {
  if (format === 'text') return `[${plugin}] ${kept.line}\n`;
  return `${JSON.stringify({ time: kept.time, plugin, stream: kept.stream, line: kept.line })}\n`;
}

/** A field of an event as JSON can carry it: an error as its name and message, clipped. */
const field = (value: unknown): unknown => {
  if (value instanceof Error) return clip(inline(`${value.name}: ${value.message}`), MAX_EVENT_LINE);
  if (typeof value === 'string') return clip(inline(value), MAX_EVENT_LINE);
  return value;
};

/**
 * A host event: `jailthread: sshd crashed: ...` on stderr, or one JSON object
 * with `time`, `plugin`, `event` and the event's fields (plugin text escaped
 * and clipped as the text line has it), for journald, Loki or jq.
 */
export function formatEvent<K extends HostEventName>(format: LogFormat, event: K, args: PluginHostEvents[K]): string {
  if (format === 'text') return formatHostEvent(event, args);
  const time = new Date().toISOString();
  if (event === 'error') {
    const [error, plugin] = args as PluginHostEvents['error'];
    return `${JSON.stringify({ time, plugin, event, error: field(error) })}\n`;
  }
  const fields = Object.fromEntries(Object.entries(args[0] as object).map(([key, value]) => [key, field(value)]));
  return `${JSON.stringify({ time, event, ...fields })}\n`;
}

/** A line of the host's own (`jailthread: host pid ...`): as it is, or as a JSON `host` event. */
export function formatHostLine(format: LogFormat, text: string): string {
  if (format === 'text') return `${text}\n`;
  return `${JSON.stringify({ time: new Date().toISOString(), event: 'host', message: text.replace(/^jailthread( run)?: /, '') })}\n`;
}
