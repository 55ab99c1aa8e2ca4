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

/** How many restarts a plugin may have, and how long each waits. */
export interface BudgetLimits {
  /** At most this many restarts... */
  maxRestarts: number;
  /** ...within this many milliseconds. */
  restartWindow: number;
  backoff: Required<Backoff>;
}

/** The restarts spent: a value, replaced at each restart, never changed in place. */
export interface Budget {
  /** When the restarts within the window were granted. */
  readonly recent: readonly number[];
  /** Failures in a row without a stable run in between: the exponent of the backoff. */
  readonly streak: number;
}

/** A budget with nothing spent: a plugin's first start, or a restart asked for by hand. */
export const FRESH_BUDGET: Budget = { recent: [], streak: 0 };

/**
 * Restart intensity as Erlang/OTP supervisors count it (at most
 * `maxRestarts` within `restartWindow` ms), with the delay before each
 * restart growing while the failures come close together. Pure: the delay
 * before restarting a process that failed at `now` after `uptime` ms, and the
 * budget after it; or undefined when the budget is spent.
 */
export function spend(
  budget: Budget,
  limits: BudgetLimits,
  now: number,
  uptime: number,
): { delay: number; budget: Budget } | undefined {
  const streak = uptime >= limits.backoff.resetAfter ? 0 : budget.streak;
  const recent = budget.recent.filter((at) => now - at < limits.restartWindow);
  if (recent.length >= limits.maxRestarts) return undefined;
  const { initial, factor, max } = limits.backoff;
  return { delay: Math.min(initial * factor ** streak, max), budget: { recent: [...recent, now], streak: streak + 1 } };
}
