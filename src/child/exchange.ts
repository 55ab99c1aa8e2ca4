import { ANSWER } from '../context.js';
import { ThreadTimeoutError } from '../errors.js';
import { toErrorData } from '../protocol/error-data.js';
import type { HostRequest } from '../protocol/host-message.js';
import { type Answer, Requests } from '../protocol/requests.js';

/** What of the thread's instance answers the host's requests. */
export interface Answering {
  status(flavor?: string): unknown;
  [ANSWER]?(method: string, input: unknown): Promise<unknown>;
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

  constructor(child: ExchangeChild) {
    this.#child = child;
  }

  /** Answers a request of the host's: a `reply` with the value, or a `reply-error`. */
  async answer(thread: Answering, request: HostRequest): Promise<void> {
    const { id } = request;
    const call = request.kind === 'call' ? `call("${request.method}")` : `${request.kind}()`;
    try {
      const value = await this.#valueFor(thread, request);
      await this.#child.send({ t: 'reply', id, value }, call);
    } catch (error) {
      await this.#child.send({ t: 'reply-error', id, error: toErrorData(error) }, call).catch(noop);
    }
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
        return thread[ANSWER](request.method, request.input);
    }
  }

  /** Calls the host's function `method` (callHost); resolves with its raw answer. */
  call(method: string, input: unknown, timeout: number): Promise<unknown> {
    const call = `callHost("${method}")`;
    const timedOut = () =>
      new ThreadTimeoutError(
        `${call} of ${this.#child.label()}: the host did not answer within ${timeout} ms. Pass a larger { timeout } if the host function is slow.`,
      );
    return this.#requests.open(call, timeout, timedOut, (id) => {
      this.#child
        .send({ t: 'request', id, kind: 'call', method, input, timeout }, call)
        .catch((error: Error) => this.#requests.settle(id, error));
    });
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
