interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
  call: string;
}

/**
 * Requests awaiting the other side's answer, by id: status, typed calls and
 * health pings on the host, calls to the host in the child. Every request has
 * a timer, and every way it can end clears it.
 */
export class Requests {
  readonly #pending = new Map<number, Pending>();
  #nextId = 0;

  /**
   * Opens a request and hands its id to `send`; rejects with `timedOut()` after `timeout` ms.
   * The error is made only when the timer fires: a stack per call would cost more than the round trip.
   */
  open(call: string, timeout: number, timedOut: () => Error, send: (id: number) => void): Promise<unknown> {
    const id = ++this.#nextId;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(timedOut());
      }, timeout);
      this.#pending.set(id, { resolve, reject, timer, call });
      send(id);
    });
  }

  /** Settles a request; an answer nobody waits for any more (it timed out) is dropped. */
  settle(id: number, error: Error | undefined, value?: unknown): void {
    const pending = this.#pending.get(id);
    if (pending === undefined) return;
    this.#pending.delete(id);
    clearTimeout(pending.timer);
    if (error === undefined) pending.resolve(value);
    else pending.reject(error);
  }

  /** Rejects every pending request, each with the error made for its call. */
  rejectAll(errorFor: (call: string) => Error): void {
    for (const [id, { call }] of [...this.#pending]) this.settle(id, errorFor(call));
  }
}
