/** Exponential backoff between restarts, pm2-style. */
export interface Backoff {
  /**
   * Milliseconds before the first restart.
   * @default 100
   */
  initial?: number;
  /**
   * Each further restart waits this many times longer.
   * @default 2
   */
  factor?: number;
  /**
   * The longest wait, in milliseconds.
   * @default 15000
   */
  max?: number;
  /**
   * Milliseconds of uptime after which the plugin counts as stable: the next failure waits `initial` again.
   * @default 30000
   */
  resetAfter?: number;
}

export const DEFAULT_BACKOFF: Required<Backoff> = { initial: 100, factor: 2, max: 15_000, resetAfter: 30_000 };

/**
 * Restart intensity as Erlang/OTP supervisors count it (at most `limit`
 * restarts within `window` ms), with the delay before each restart growing
 * while the failures come close together.
 */
export class RestartBudget {
  readonly #limit: number;
  readonly #window: number;
  readonly #backoff: Required<Backoff>;
  #recent: number[] = [];
  #streak = 0;

  constructor(limit: number, window: number, backoff: Required<Backoff>) {
    this.#limit = limit;
    this.#window = window;
    this.#backoff = backoff;
  }

  /**
   * The delay before restarting a process that failed at `now` after `uptime` ms,
   * or undefined when the budget is spent and the plugin must be given up.
   */
  next(now: number, uptime: number): number | undefined {
    if (uptime >= this.#backoff.resetAfter) this.#streak = 0;
    this.#recent = this.#recent.filter((at) => now - at < this.#window);
    if (this.#recent.length >= this.#limit) return undefined;
    this.#recent.push(now);
    const { initial, factor, max } = this.#backoff;
    return Math.min(initial * factor ** this.#streak++, max);
  }

  /** A restart asked for by hand starts from a clean slate. */
  reset(): void {
    this.#recent = [];
    this.#streak = 0;
  }
}
