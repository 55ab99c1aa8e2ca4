import { abortError } from '../abort.js';
import { ThreadStateError, ThreadTimeoutError } from '../errors.js';
import { onAbort } from '../protocol/cancellable.js';
import type { PluginState } from './events.js';

/** States a plugin leaves on its own for `running` (a lazy one once called): a call waits through them. */
const COMING_BACK: ReadonlySet<PluginState> = new Set(['lazy', 'starting', 'backoff']);

/** What a call to a plugin that is not running should say, by state: the state and the next step. */
const ADVICE: Partial<Record<PluginState, string>> = {
  stopped: 'start it with host.start(), or host.restart(name)',
  stopping:
    'it is being stopped by host.stop(), host.restart() or a recycle over maxRssMb; after a restart or a recycle, call again once it runs (the state event says when)',
  errored:
    "it was given up (its restart budget ran out, its policy is 'never', or its module cannot load: see the 'errored' event); host.restart(name) brings it back with a fresh budget",
};

/** Wakes the calls that wait for a plugin to come back, at each change of its state. */
export class StateChanges {
  readonly #waiting = new Set<() => void>();

  changed(): void {
    for (const wake of [...this.#waiting]) wake();
  }

  /**
   * Resolves once the plugin is `running` (or `idle`), waiting through `starting` and `backoff` for at
   * most `timeout` ms, or `signal`; rejects at once, or as soon as it gets there, for a state it does
   * not come back from by itself. Returns the ms left of `timeout`.
   */
  async untilRunning(
    where: string,
    name: string,
    state: () => PluginState,
    timeout: number,
    signal: AbortSignal | undefined,
  ): Promise<number> {
    const began = performance.now();
    for (;;) {
      const now = state();
      const left = Math.ceil(timeout - (performance.now() - began));
      if (now === 'running' || now === 'idle') return Math.max(left, 1);
      if (!COMING_BACK.has(now)) {
        throw new ThreadStateError(
          `${where}: plugin "${name}" is ${now}, not running; ${ADVICE[now] ?? 'wait for it'}.`,
        );
      }
      if (signal?.aborted === true) throw abortError(where, signal);
      if (left <= 0) {
        throw new ThreadTimeoutError(
          `${where}: plugin "${name}" is still ${now} after the call's timeout of ${timeout} ms (waiting for it to come back counts toward it); pass a larger { timeout }, or see its 'crash' events for why it restarts.`,
        );
      }
      await this.#next(left, signal);
    }
  }

  /** Resolves at the next change, after `ms`, or when `signal` aborts: the caller looks again. */
  #next(ms: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.#waiting.delete(wake);
        off?.();
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.#waiting.add(wake);
      const off = signal === undefined ? undefined : onAbort(signal, wake);
    });
  }
}
