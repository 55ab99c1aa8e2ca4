import { abortError } from '../abort.js';
import { onAbort } from '../protocol/cancellable.js';

/** What a reader needs of its exchange. */
export interface StreamLink {
  /** Grants the child `credit` more items. */
  more(credit: number): void;
  /** Tells the child the stream is over for the host, and forgets it. */
  cancel(reason: 'aborted' | 'timed-out'): void;
  /** Forgets the stream: it ended. */
  finished(): void;
  /** Counts `bytes` (negative to let go) of items held unread against the child's budget. */
  hold(bytes: number): void;
}

interface Waiter {
  resolve(result: IteratorResult<unknown>): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * The host's end of one stream: holds at most `highWaterMark` items the
 * reader has not taken, and grants the child more credit as they are taken,
 * half a mark at a time. `timeout` bounds each wait for the next item.
 */
export class StreamReader implements AsyncIterator<unknown> {
  readonly #call: string;
  readonly #highWaterMark: number;
  readonly #timeout: number;
  readonly #link: StreamLink;
  readonly #timedOut: () => Error;
  /** Items not taken yet, each with the bytes of the frame that brought it. */
  readonly #queue: { value: unknown; bytes: number }[] = [];
  /** Bytes of the queue's items counted against the child's budget: none once the stream is over. */
  #held = 0;
  /** Items taken since credit was last granted. */
  #taken = 0;
  #waiter: Waiter | undefined;
  /** How the stream ended: `null` returned, an Error failed; undefined while it runs. */
  #end: Error | null | undefined;
  #off: (() => void) | undefined;

  constructor(
    call: string,
    { highWaterMark, timeout, signal }: { highWaterMark: number; timeout: number; signal: AbortSignal | undefined },
    link: StreamLink,
    timedOut: () => Error,
  ) {
    this.#call = call;
    this.#highWaterMark = highWaterMark;
    this.#timeout = timeout;
    this.#link = link;
    this.#timedOut = timedOut;
    if (signal !== undefined) this.#off = onAbort(signal, () => this.#abandon('aborted', abortError(call, signal)));
  }

  /** Names the stream in errors: `stream("tail")`. */
  get call(): string {
    return this.#call;
  }

  /**
   * An item from the child, brought by a frame of `bytes`: counted against the child's budget while it
   * waits unread. Returns what is wrong if it sent more than it was granted.
   */
  item(value: unknown, bytes: number): string | undefined {
    if (this.#end !== undefined) return undefined;
    if (this.#waiter !== undefined) {
      this.#take();
      this.#settle({ value, done: false });
      return undefined;
    }
    if (this.#queue.length >= this.#highWaterMark) {
      return `sent more items of ${this.#call} than the host granted (${this.#highWaterMark} unread); it was killed (exit reason 'misbehaved'). A stream must wait for credit: let the library pull the generator.`;
    }
    this.#queue.push({ value, bytes });
    this.#held += bytes;
    this.#link.hold(bytes);
    return undefined;
  }

  /** The child ended the stream: returned (no error), threw, or is gone. */
  ended(error?: Error): void {
    if (this.#end !== undefined) return;
    this.#finish(error ?? null);
    this.#release();
    this.#link.finished();
    if (this.#waiter !== undefined && this.#queue.length === 0) this.#settleEnd();
  }

  next(): Promise<IteratorResult<unknown>> {
    const first = this.#queue.shift();
    if (first !== undefined) {
      this.#take();
      if (this.#held > 0) {
        this.#held -= first.bytes;
        this.#link.hold(-first.bytes);
      }
      return Promise.resolve({ value: first.value, done: false });
    }
    if (this.#end !== undefined) {
      const end = this.#takeEnd();
      return end === null ? Promise.resolve({ value: undefined, done: true }) : Promise.reject(end);
    }
    if (this.#waiter !== undefined) {
      return Promise.reject(
        new TypeError(`${this.#call}: next() was called before the last one settled; await each item.`),
      );
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.#abandon('timed-out', this.#timedOut()), this.#timeout);
      this.#waiter = { resolve, reject, timer };
    });
  }

  /** The reader is done early (break, return()): the child returns its generator; items held are dropped. */
  async return(): Promise<IteratorResult<unknown>> {
    this.#abandon('aborted', null);
    return { value: undefined, done: true };
  }

  /** Ends the stream on the host's side, telling the child; `error` goes to a waiting or the next next(). */
  #abandon(reason: 'aborted' | 'timed-out', error: Error | null): void {
    this.#queue.length = 0;
    this.#release();
    if (this.#end !== undefined) return;
    this.#finish(error);
    this.#link.cancel(reason);
    if (this.#waiter !== undefined) this.#settleEnd();
  }

  /**
   * The stream is over: what it still holds unread is no longer counted. The child's end (or exit) ends
   * what it can add, and the budget's count is dropped with the process, while its last items may be read later.
   */
  #release(): void {
    if (this.#held === 0) return;
    this.#link.hold(-this.#held);
    this.#held = 0;
  }

  #finish(end: Error | null): void {
    this.#end = end;
    this.#off?.();
  }

  /** Settles the waiting next() with the end. */
  #settleEnd(): void {
    const end = this.#takeEnd();
    if (end === null) this.#settle({ value: undefined, done: true });
    else this.#settle(undefined, end);
  }

  /** The end, to report: an error is reported once, and the calls after it are done. */
  #takeEnd(): Error | null {
    const end = this.#end ?? null;
    this.#end = null;
    return end;
  }

  #settle(result: IteratorResult<unknown> | undefined, error?: Error): void {
    const waiter = this.#waiter as Waiter;
    this.#waiter = undefined;
    clearTimeout(waiter.timer);
    if (error !== undefined) waiter.reject(error);
    else waiter.resolve(result as IteratorResult<unknown>);
  }

  /** One item taken: credit goes back to the child half a mark at a time, so a fast reader costs few frames. */
  #take(): void {
    this.#taken++;
    if (this.#end !== undefined || this.#taken < Math.ceil(this.#highWaterMark / 2)) return;
    this.#link.more(this.#taken);
    this.#taken = 0;
  }
}
