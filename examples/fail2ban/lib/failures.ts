/** Options of {@link FailureCounter}. */
export interface FailureCounterOptions {
  /** How far back failures count, in ms (fail2ban's `findtime`). */
  findtime: number;
  /** How many failures within `findtime` call for a ban (fail2ban's `maxretry`). */
  maxretry: number;
}

/**
 * Counts failures per address over a sliding window, as fail2ban's jail does.
 *
 * The window is closed at both ends: a failure exactly `findtime` ms old
 * still counts, as in fail2ban, whose failure manager only resets a count
 * once its first failure is *more* than `findtime` old. Times are expected
 * not to decrease; an earlier time is recorded as is.
 */
export class FailureCounter {
  readonly #findtime: number;
  readonly #maxretry: number;
  // Times in the order added; a list never grows past maxretry, since reaching it forgets the address.
  readonly #failures = new Map<string, number[]>();
  #total = 0;

  /** @throws {RangeError} when `findtime` is not a non-negative number or `maxretry` not a positive integer. */
  constructor({ findtime, maxretry }: FailureCounterOptions) {
    if (!(findtime >= 0)) throw new RangeError(`findtime must be a number of ms >= 0, got ${findtime}`);
    if (!Number.isInteger(maxretry) || maxretry < 1) {
      throw new RangeError(`maxretry must be an integer >= 1, got ${maxretry}`);
    }
    this.#findtime = findtime;
    this.#maxretry = maxretry;
  }

  /** Every failure ever added, including those of addresses since banned or forgotten. */
  get totalFailed(): number {
    return this.#total;
  }

  /**
   * Records a failure of `ip` at time `at` (ms). True when `ip` now has
   * `maxretry` failures within the last `findtime` ms: the caller bans it,
   * and the counter forgets its failures so that a ban starts a new count.
   */
  add(ip: string, at: number): boolean {
    this.#total += 1;
    const times = (this.#failures.get(ip) ?? []).filter((time) => this.#inWindow(time, at));
    times.push(at);
    if (times.length >= this.#maxretry) {
      this.#failures.delete(ip);
      return true;
    }
    this.#failures.set(ip, times);
    return false;
  }

  /**
   * How many distinct addresses have at least one failure within the window
   * that ends at `now` (ms). Drops the failures outside it, which is what
   * frees the memory of addresses that never come back.
   */
  currentlyFailed(now: number): number {
    for (const [ip, times] of this.#failures) {
      const kept = times.filter((time) => this.#inWindow(time, now));
      if (kept.length === 0) this.#failures.delete(ip);
      else this.#failures.set(ip, kept);
    }
    return this.#failures.size;
  }

  /** Forgets the failures of `ip` (fail2ban does on a manual ban or unban); true if it had any. */
  forget(ip: string): boolean {
    return this.#failures.delete(ip);
  }

  #inWindow(time: number, now: number): boolean {
    return now - time <= this.#findtime;
  }
}
