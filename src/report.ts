import type { EventEmitter } from 'node:events';

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
  const where = pid === undefined ? '' : ` (pid ${pid})`;
  process.stderr.write(`Exception in thread ${name}${where}:\n${error.stack ?? `${error.name}: ${error.message}`}\n`);
}
