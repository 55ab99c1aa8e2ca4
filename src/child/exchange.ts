import { AbortError } from '../abort.js';
import { ANSWER, STREAM } from '../context.js';
import { ThreadStateError, ThreadTimeoutError } from '../errors.js';
import type { CancelFrame } from '../protocol/cancel-frame.js';
import { CallSignals, openCancellable } from '../protocol/cancellable.js';
import { toErrorData } from '../protocol/error-data.js';
import type { HostRequest } from '../protocol/host-message.js';
import { type Answer, Requests } from '../protocol/requests.js';
import type { MoreFrame, StreamRequest } from '../protocol/stream-frames.js';
import { StreamWriter } from './stream-writer.js';

/** What of the thread's instance answers the host's requests. */
export interface Answering {
  status(flavor?: string): unknown;
  [ANSWER]?(method: string, input: unknown, signal: AbortSignal): Promise<unknown>;
  [STREAM]?(method: string, input: unknown, signal: AbortSignal): AsyncIterator<unknown>;
}

/** What the exchange needs of the child's runtime. */
export interface ExchangeChild {
  /** Names the thread in errors. */
  label(): string;
  /** Resolves once the frame is written; rejects with the error for `call`. */
  send(frame: object, call: string): Promise<void>;
}

const noop = (): void => undefined;

/**
 * The child's half of the request/response pair: the one path that answers
 * the host's requests (status, ping, call), and its own calls to the host's
 * functions in one table.
 */
export class ChildExchange {
  readonly #child: ExchangeChild;
  readonly #requests = new Requests();
  /** The signals of the host's calls and streams being answered. */
  readonly #signals = new CallSignals();
  /** The streams being written, by request id. */
  readonly #writers = new Map<number, StreamWriter>();

  constructor(child: ExchangeChild) {
    this.#child = child;
  }

  /** Answers a request of the host's: a `reply` with the value, or a `reply-error`. */
  async answer(thread: Answering, request: HostRequest): Promise<void> {
    if (request.kind === 'stream') return this.#stream(thread, request);
    const { id } = request;
    const call = request.kind === 'call' ? `call("${request.method}")` : `${request.kind}()`;
    let frame: object;
    try {
      frame = { t: 'reply', id, value: await this.#valueFor(thread, request) };
    } catch (error) {
      frame = { t: 'reply-error', id, error: toErrorData(error) };
    }
    // A call the host cancelled meanwhile: nobody waits for its answer.
    if (request.kind === 'call' && !this.#signals.end(id)) return;
    try {
      await this.#child.send(frame, call);
    } catch (error) {
      await this.#child.send({ t: 'reply-error', id, error: toErrorData(error) }, call).catch(noop);
    }
  }

  /**
   * Runs a stream the host asked for: its items as the host grants credit, then an `end`, with the
   * error if the generator threw or the thread is stopping. Nothing more once the host cancelled it.
   */
  async #stream(thread: Answering, request: StreamRequest): Promise<void> {
    const { id, method } = request;
    const call = `stream("${method}")`;
    const signal = this.#signals.begin(id);
    const writer = new StreamWriter(request.credit);
    this.#writers.set(id, writer);
    let frame: object;
    try {
      if (thread[STREAM] === undefined) {
        throw new TypeError(
          `${call} to ${this.#child.label()}: the thread has no stream methods; extend Plugin and declare them in its contract with yields.`,
        );
      }
      const iterator = thread[STREAM](method, request.input, signal);
      const send = (value: unknown) => this.#child.send({ t: 'item', id, value }, call);
      const ended = await writer.write(iterator, signal, send);
      frame = ended ? { t: 'end', id } : { t: 'end', id, error: toErrorData(signal.reason) };
    } catch (error) {
      frame = { t: 'end', id, error: toErrorData(error) };
    } finally {
      this.#writers.delete(id);
    }
    // Cancelled by the host: it reads nothing more of this stream.
    if (!this.#signals.end(id)) return;
    await this.#child.send(frame, call).catch(noop);
  }

  /** The host's reader took items of a stream: it may send that many more. */
  more(frame: MoreFrame): void {
    this.#writers.get(frame.id)?.more(frame.credit);
  }

  /** The host gave up on one of its calls: the method's signal aborts, and its answer is not sent. */
  cancelled(frame: CancelFrame): void {
    const call = `a call from the host to ${this.#child.label()}`;
    const reason = () =>
      frame.reason === 'aborted'
        ? new AbortError(`${call} was aborted by the host's signal.`)
        : new ThreadTimeoutError(`${call} timed out in the host; it no longer waits for the answer.`);
    this.#signals.cancel(frame.id, reason);
  }

  /** The thread is stopping: every method answering a call sees its signal abort. */
  stopping(): void {
    this.#signals.abortAll(
      () =>
        new ThreadStateError(`${this.#child.label()} is stopping; return from the method, its answer is still sent.`),
    );
  }

  #valueFor(thread: Answering, request: HostRequest): unknown {
    switch (request.kind) {
      case 'status':
        return thread.status(request.flavor);
      case 'ping': {
        // The host reads rss from /proc where there is one; this is for where there is not.
        const { rss, heapUsed } = process.memoryUsage();
        return { rss, heapUsed };
      }
      case 'stream':
        return undefined;
      case 'call':
        if (thread[ANSWER] === undefined) {
          throw new TypeError(
            `call("${request.method}") to ${this.#child.label()}: the thread has no callable methods; extend Plugin and declare them in its contract.`,
          );
        }
        return thread[ANSWER](request.method, request.input, this.#signals.begin(request.id));
    }
  }

  /** Calls the host's function `method` (callHost); resolves with its raw answer. `signal` may abort it. */
  call(method: string, input: unknown, timeout: number, signal?: AbortSignal): Promise<unknown> {
    const call = `callHost("${method}")`;
    const timedOut = () =>
      new ThreadTimeoutError(
        `${call} of ${this.#child.label()}: the host did not answer within ${timeout} ms. Pass a larger { timeout } if the host function is slow.`,
      );
    const send = (id: number) => {
      this.#child
        .send({ t: 'request', id, kind: 'call', method, input, timeout }, call)
        .catch((error: Error) => this.#requests.settle(id, error));
    };
    const cancel = (id: number, reason: CancelFrame['reason']) => {
      this.#child.send({ t: 'cancel', id, reason }, call).catch(noop);
    };
    return openCancellable(this.#requests, call, timeout, timedOut, send, { signal, cancel });
  }

  /** The host's answer to one of this child's calls: nothing to check, a call's value is the plugin's to validate. */
  answered(frame: Answer): void {
    this.#requests.answer(frame);
  }

  /** The host is gone: every call still open gets the error made for it. */
  rejectAll(errorFor: (call: string) => Error): void {
    this.#requests.rejectAll(errorFor);
  }
}
