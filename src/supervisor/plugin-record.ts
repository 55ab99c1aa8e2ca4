import { describeExit } from '../host/exit-reason.js';
import { DEFAULT_CALL_TIMEOUT } from '../options.js';
import type { PluginRow, PluginState } from './events.js';
import type { PluginProcess } from './life.js';

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
  #latest: PluginProcess | undefined;

  /** A process was forked. */
  forked(life: PluginProcess): void {
    this.#latest = life;
  }

  /** Records how `life` ended and asks for its final status; returns how it ended, in words. */
  ended(life: PluginProcess): string {
    const { port } = life;
    this.memory = null;
    const how = life.health?.reason ?? describeExit(port.exitReason ?? 'exit', port.exitCode, port.signalCode);
    this.lastExit = life.startError === undefined ? how : `start failed (${how})`;
    const keep = (status: unknown) => {
      if (this.#latest === life) this.#lastStatus = status;
    };
    // A final status the host refused (too large) is kept as the reason, as a live one is shown.
    port.getStatus(undefined, DEFAULT_CALL_TIMEOUT).then(keep, (error: Error) => keep(statusError(error)));
    return this.lastExit;
  }

  /** The row: with the live process's own status() while it runs, its last reported one after. */
  async row(name: string, state: PluginState, life: PluginProcess | undefined, timeout: number): Promise<PluginRow> {
    let status = this.#lastStatus;
    if ((state === 'running' || state === 'idle') && life !== undefined) {
      status = await life.port.getStatus(undefined, timeout).catch(statusError);
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
