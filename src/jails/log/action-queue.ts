/** A ban or unban waiting to reach the action. */
export type ActionCall = { kind: 'ban'; ip: string; bantime: number; failures: number } | { kind: 'unban'; ip: string };

/** Options of {@link ActionQueue}. */
export interface ActionQueueOptions {
  /** Sends one call to the action; a rejection is a failure, retried. */
  send(call: ActionCall): Promise<void>;
  /** First wait before a retry, in ms; it doubles at each failure in a row. */
  initial: number;
  /** Longest wait before a retry, in ms. */
  max: number;
}

/**
 * The calls to a jail's action, in order, each retried with backoff until
 * it succeeds. A failure never reaches the jail's loop: the ban is counted
 * and kept all the same, and the queue's status says what is waiting and why.
 * Calls go one at a time, oldest first, so an address's ban never overtakes
 * its unban.
 */
export class ActionQueue {
  readonly #options: ActionQueueOptions;
  readonly #calls: ActionCall[] = [];
  #failures = 0;
  #retryAt = 0;
  #lastError: string | undefined;

  constructor(options: ActionQueueOptions) {
    this.#options = options;
  }

  push(call: ActionCall): void {
    this.#calls.push(call);
  }

  /** Sends the waiting calls, oldest first, unless a retry is not due yet at `now` (ms); stops at the first failure. */
  async flush(now: number): Promise<void> {
    if (now < this.#retryAt) return;
    for (let call = this.#calls[0]; call !== undefined; call = this.#calls[0]) {
      try {
        await this.#options.send(call);
      } catch (error) {
        this.#failures += 1;
        this.#lastError = `${call.kind} ${call.ip}: ${error instanceof Error ? error.message : String(error)}`;
        const wait = Math.min(this.#options.initial * 2 ** (this.#failures - 1), this.#options.max);
        this.#retryAt = Date.now() + wait;
        return;
      }
      this.#calls.shift();
      this.#failures = 0;
      this.#retryAt = 0;
      this.#lastError = undefined;
    }
  }

  /** Calls waiting, failed ones in a row, and the last failure while one waits. */
  status(): { pending: number; failures: number; lastError?: string } {
    const status = { pending: this.#calls.length, failures: this.#failures };
    return this.#lastError === undefined ? status : { ...status, lastError: this.#lastError };
  }
}
