import type * as z from 'zod/mini';
import { fromErrorData } from './error-data.js';
import type { reply, replyError } from './frames.js';

/** The other side's answer to a request: its value, or the error it threw. */
export type Answer = z.infer<ReturnType<typeof reply>> | z.infer<ReturnType<typeof replyError>>;

/**
 * Looks at an answer's value before it settles its request: returns what is
 * wrong with it (the request then stays open, to time out), or undefined.
 */
export type AnswerCheck = (value: unknown) => string | undefined;

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout | undefined;
  call: string;
  check: AnswerCheck | undefined;
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
   * Opens a request and hands its id to `send`; rejects with `timedOut()` after `timeout` ms (never, for Infinity).
   * The error is made only when the timer fires: a stack per call would cost more than the round trip.
   */
  open(
    call: string,
    timeout: number,
    timedOut: () => Error,
    send: (id: number) => void,
    check?: AnswerCheck,
  ): Promise<unknown> {
    const id = ++this.#nextId;
    return new Promise((resolve, reject) => {
      // Infinity is no deadline: a timer given it would fire at once.
      const timer =
        timeout === Number.POSITIVE_INFINITY
          ? undefined
          : setTimeout(() => {
              this.#pending.delete(id);
              reject(timedOut());
            }, timeout);
      this.#pending.set(id, { resolve, reject, timer, call, check });
      send(id);
    });
  }

  /** An id of this table's sequence for a request it does not hold (a stream), so that no two requests share one. */
  reserve(): number {
    return ++this.#nextId;
  }

  /** Whether request `id` is open with a check of its own on its answer's value. */
  checks(id: number): boolean {
    return this.#pending.get(id)?.check !== undefined;
  }

  /**
   * Settles the request a `reply` or `reply-error` frame answers. Returns what
   * is wrong with a reply's value, if its request's check refused it.
   */
  answer(frame: Answer): string | undefined {
    if (frame.t === 'reply-error') {
      this.settle(frame.id, fromErrorData(frame.error));
      return undefined;
    }
    const problem = this.#pending.get(frame.id)?.check?.(frame.value);
    if (problem === undefined) this.settle(frame.id, undefined, frame.value);
    return problem;
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
