import type { EventEmitter } from 'node:events';
import { safeWrite } from './host-streams.js';
import { block, inline } from './terminal-text.js';

/**
 * The one place "Exception in …" is written, as Python's threading.excepthook
 * words it: `who` is a thread or a plugin, as its owner names it.
 */
export function printException(who: string, error: Error): void {
  // The stack holds the child's message: shown, not obeyed, each further line indented under the header.
  const text = block(error.stack ?? `${error.name}: ${error.message}`);
  safeWrite(process.stderr, `Exception in ${inline(who)}:\n${text}\n`);
}

/**
 * Python's threading.excepthook, in process terms: an error of a thread goes
 * to its 'error' listeners, or to stderr when there are none, and never
 * crashes the process that observes it.
 */
export function reportThreadError(emitter: EventEmitter, error: Error, name: string, pid: number | undefined): void {
  if (emitter.listenerCount('error') > 0) {
    emitter.emit('error', error);
    return;
  }
  printException(`thread ${name}${pid === undefined ? '' : ` (pid ${pid})`}`, error);
}
