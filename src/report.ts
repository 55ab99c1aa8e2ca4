import type { EventEmitter } from 'node:events';

/**
 * The one place "Exception in …" is written, as Python's threading.excepthook
 * words it: `who` is a thread or a plugin, as its owner names it.
 */
export function printException(who: string, error: Error): void {
  process.stderr.write(`Exception in ${who}:\n${error.stack ?? `${error.name}: ${error.message}`}\n`);
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
