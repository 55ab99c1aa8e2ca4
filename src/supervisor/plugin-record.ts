import { describeExit } from '../host/exit-reason.js';
import type { PluginRow, PluginState } from './events.js';
import type { Life } from './life.js';

/** A status that could not be had, as its row shows it. */
const statusError = (error: Error) => ({ error: `${error.name}: ${error.message}` });

/** What a plugin's status row shows beyond its state, kept across its processes. */
export class PluginRecord {
  /** The current process's PID, or the last one's. */
  pid: number | null = null;
  restarts = 0;
  lastExit: string | null = null;
  memory: PluginRow['memory'] = null;
  #lastStatus: unknown;
  /** The process whose final status is worth keeping: a later one's replaces it. */
  #latest: Life | undefined;

  /** A process was forked. */
  forked(life: Life): void {
    this.#latest = life;
  }

  /** Records how `life` ended and asks for its final status; returns how it ended, in words. */
  ended(life: Life): string {
    const { thread } = life;
    this.memory = null;
    const how = life.ending?.reason ?? describeExit(thread.exitReason ?? 'exit', thread.exitCode, thread.signalCode);
    this.lastExit = life.startError === undefined ? how : `start failed (${how})`;
    const keep = (status: unknown) => {
      if (this.#latest === life) this.#lastStatus = status;
    };
    // A final status the host refused (too large) is kept as the reason, as a live one is shown.
    thread.getStatus().then(keep, (error: Error) => keep(statusError(error)));
    return this.lastExit;
  }

  /** The row: with the live process's own status() while it runs, its last reported one after. */
  async row(name: string, state: PluginState, life: Life | undefined, timeout: number): Promise<PluginRow> {
    let status = this.#lastStatus;
    if ((state === 'running' || state === 'idle') && life !== undefined) {
      status = await life.thread.getStatus(undefined, { timeout }).catch(statusError);
    }
    return {
      name,
      state,
      pid: this.pid,
      restarts: this.restarts,
      uptime: life?.startedAt === undefined ? null : Date.now() - life.startedAt,
      memory: this.memory,
      lastExit: this.lastExit,
      status,
    };
  }
}
