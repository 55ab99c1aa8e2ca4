import { AbortError } from '../abort.js';
import { ANSWER } from '../context.js';
import { ThreadStateError, ThreadTimeoutError } from '../errors.js';
import type { CancelFrame } from '../protocol/cancel-frame.js';
import { CallSignals, openCancellable } from '../protocol/cancellable.js';
import { toErrorData } from '../protocol/error-data.js';
import type { HostRequest } from '../protocol/host-message.js';
import { type Answer, Requests } from '../protocol/requests.js';

/** What of the thread's instance answers the host's requests. */
export interface Answering {
  status(flavor?: string): unknown;
  [ANSWER]?(method: string, input: unknown, signal: AbortSignal): Promise<unknown>;
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
  /** The signals of the host's calls being answered. */
  readonly #signals = new CallSignals();

  constructor(child: ExchangeChild) {
    this.#child = child;
  }

  /** Answers a request of the host's: a `reply` with the value, or a `reply-error`. */
  async answer(thread: Answering, request: HostRequest): Promise<void> {
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

  /** The host gave up on one of its calls: the method's signal aborts, and its answer is not sent. */
  cancelled(frame: CancelFrame): void {
    const call = `a call from the host to ${this.#child.label()}`;
    const reason =
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
        .send({ t: 'request', id, kind: 'call', method, input }, call)
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
