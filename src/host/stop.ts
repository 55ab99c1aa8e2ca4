import type { StopResult } from '../view.js';
import type { ThreadLife } from './life.js';

/** What stopping needs of a child. */
export interface Stoppable {
  life: ThreadLife;
  /** Asks the thread to stop: `active = false` in the child. */
  ask(): void;
  signal(signal: NodeJS.Signals): void;
  result(): { exitCode: number | null; signalCode: NodeJS.Signals | null };
}

/**
 * Stops a child the way that takes least force: ask, wait `timeout`; then
 * SIGTERM and wait `grace`; then SIGKILL and wait for the exit.
 */
export async function escalate(child: Stoppable, timeout: number, grace: number): Promise<StopResult> {
  let forced = false;
  child.ask();
  if (!(await child.life.exitWithin(timeout))) {
    forced = true;
    child.signal('SIGTERM');
    if (!(await child.life.exitWithin(grace))) {
      child.signal('SIGKILL');
      await child.life.exit;
    }
  }
  return { forced, ...child.result() };
}
