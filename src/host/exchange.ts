import { ThreadStateError, ThreadTimeoutError } from '../errors.js';
import type { ChildMessage } from '../protocol/child-message.js';
import { toErrorData } from '../protocol/error-data.js';
import { type AnswerCheck, type Answer as AnswerFrame, Requests } from '../protocol/requests.js';
import type { HeldBytes } from './held-bytes.js';
import { serveDeadline, withinDeadline } from './serve-deadline.js';

/**
 * Calls from a child to the host that may be in flight at once: being served,
 * or answered but the answer not yet read by the child. One more kills the
 * child as `'misbehaved'`: a child that calls and never reads would otherwise
 * make the host hold every answer.
 * @default 1024
 */
export const MAX_CALLS_IN_FLIGHT = 1024;

/**
 * Bytes of answers to a child's calls written to its channel and not yet read
 * by it (one frame of the largest size fits). Past it the child is killed as
 * `'misbehaved'`. Data the host sends on its own (send(), status requests)
 * is not counted: its sender waits on the returned promise.
 * @default 67108868 (64 MiB, and a frame's 4-byte header)
 */
export const MAX_UNREAD_REPLY_BYTES = 64 * 2 ** 20 + 4;

/** What a host→child request carries besides its id: `kind` and that kind's fields. */
export type RequestBody =
  | { kind: 'status'; flavor?: string }
  | { kind: 'ping' }
  | { kind: 'call'; method: string; input: unknown };

type CallRequest = Extract<ChildMessage, { t: 'request' }>;

/** What the exchange needs of its controller. */
export interface ExchangeHost {
  /** Names the thread in errors. */
  label(): string;
  /** Writes a frame; `done` gets null once it is on the channel. Returns the bytes queued. */
  post(frame: object, call: string, done: (error: Error | null) => void): number;
  /** Answers the child's calls to host functions; undefined when this host serves none. */
  serve: ((method: string, input: unknown) => Promise<unknown>) | undefined;
  /** A frame the child should not have sent: reported, and counted towards its kill. */
  invalid(problem: string): void;
  /** Ends a child that broke a bound. */
  misbehave(problem: string): void;
  /** What the host holds for this child. */
  held: HeldBytes;
}

/**
 * The host's half of the request/response pair with one child: its own
 * requests (status, ping, call) in one table, and the one path that answers
 * the child's calls, within the bounds above.
 */
export class HostExchange {
  readonly #host: ExchangeHost;
  readonly #requests = new Requests();
  /** Calls from the child being served or whose answer it has not read yet. */
  #callsInFlight = 0;
  /** Bytes of answers to the child's calls that it has not read yet. */
  #unreadReplyBytes = 0;

  constructor(host: ExchangeHost) {
    this.#host = host;
  }

  /** Asks the child; `check` looks at the answer's value before it settles the request. */
  request(call: string, timeout: number, slow: string, body: RequestBody, check?: AnswerCheck): Promise<unknown> {
    const timedOut = () =>
      new ThreadTimeoutError(
        `${call} of ${this.#host.label()}: no answer within ${timeout} ms; the child may be busy in synchronous code or stopped. Pass a larger { timeout } if ${slow}.`,
      );
    return this.#requests.open(
      call,
      timeout,
      timedOut,
      (id) => {
        this.#host.post({ t: 'request', id, ...body }, call, (error) => {
          if (error !== null) this.#requests.settle(id, error);
        });
      },
      check,
    );
  }

  /** The child's answer to one of the host's requests. */
  answered(frame: AnswerFrame): void {
    const problem = this.#requests.answer(frame);
    if (problem !== undefined) this.#host.invalid(`a reply outside the protocol (${problem})`);
  }

  /** The child is gone: every request still open gets the error made for it. */
  rejectAll(errorFor: (call: string) => Error): void {
    this.#requests.rejectAll(errorFor);
  }

  /**
   * A call from the child: served, unless it has too many in flight already.
   * Its input's `bytes` count against the child's budget until it is answered.
   */
  called(frame: CallRequest, bytes: number): void {
    if (++this.#callsInFlight > MAX_CALLS_IN_FLIGHT) {
      this.#host.misbehave(
        `made ${MAX_CALLS_IN_FLIGHT + 1} calls to the host without reading the answers; it was killed (exit reason 'misbehaved'). A thread must read its channel: await its calls, or make fewer at once.`,
      );
      return;
    }
    const { held } = this.#host;
    held.add('inputs of its calls being served', bytes);
    void this.#serve(frame.id, frame.method, frame.input, serveDeadline(frame.timeout)).finally(() =>
      held.add('inputs of its calls being served', -bytes),
    );
  }

  async #serve(id: number, method: string, input: unknown, deadline: number): Promise<void> {
    let frame: object;
    try {
      const { serve } = this.#host;
      if (serve === undefined) {
        throw new ThreadStateError(
          `call("${method}") from ${this.#host.label()}: this host serves no functions to the thread; run it under a PluginHost whose spec has serve.${method}.`,
        );
      }
      const late = () =>
        new ThreadTimeoutError(
          `call("${method}") from ${this.#host.label()}: the host's function did not answer within the call's ${deadline} ms; its answer, if it comes, is dropped.`,
        );
      frame = { t: 'reply', id, value: await withinDeadline(serve(method, input), deadline, late) };
    } catch (error) {
      frame = { t: 'reply-error', id, error: toErrorData(error) };
    }
    // The child may be gone by now: then nobody waits for the answer.
    const answered = () => {
      this.#callsInFlight--;
    };
    this.#reply(frame, `reply to call("${method}")`, (error) => {
      if (error instanceof TypeError || error instanceof RangeError) {
        this.#reply({ t: 'reply-error', id, error: toErrorData(error) }, 'reply', answered);
      } else answered();
    });
  }

  /**
   * Writes an answer to the child's call, counting its bytes until the child
   * has read them (the write's callback): a child that does not read its
   * channel is ended here, before its answers pile up in the host.
   */
  #reply(frame: object, call: string, done: (error: Error | null) => void): void {
    let bytes = 0;
    const { held } = this.#host;
    bytes = this.#host.post(frame, call, (error) => {
      this.#unreadReplyBytes -= bytes;
      held.add('unread answers', -bytes);
      done(error);
    });
    this.#unreadReplyBytes += bytes;
    held.add('unread answers', bytes);
    if (this.#unreadReplyBytes > MAX_UNREAD_REPLY_BYTES) {
      this.#host.misbehave(
        `has not read ${this.#unreadReplyBytes} bytes of answers to its calls, over the limit of ${MAX_UNREAD_REPLY_BYTES}; it was killed (exit reason 'misbehaved'). A thread must read its channel.`,
      );
    }
  }
}
