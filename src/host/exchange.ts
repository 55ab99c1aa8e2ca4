import { AbortError } from '../abort.js';
import { ThreadStateError, ThreadTimeoutError } from '../errors.js';
import type { CancelFrame } from '../protocol/cancel-frame.js';
import { CallSignals, openCancellable } from '../protocol/cancellable.js';
import type { ChildMessage } from '../protocol/child-message.js';
import { fromErrorData, toErrorData } from '../protocol/error-data.js';
import type { EventFrame } from '../protocol/event-frame.js';
import { type AnswerCheck, type Answer as AnswerFrame, Requests } from '../protocol/requests.js';
import type { EndFrame, ItemFrame } from '../protocol/stream-frames.js';
import { overFrameBound } from './frame-bound.js';
import type { HeldBytes } from './held-bytes.js';
import { serveDeadline, withinDeadline } from './serve-deadline.js';
import { StreamReader } from './stream-reader.js';

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

const noop = (): void => undefined;

/** What the exchange needs of its controller. */
export interface ExchangeHost {
  /** Names the thread in errors. */
  label(): string;
  /** Writes a frame; `done` gets null once it is on the channel. Returns the bytes queued. */
  post(frame: object, call: string, done: (error: Error | null) => void): number;
  /** Answers the child's calls to host functions; undefined when this host serves none. */
  serve: ((method: string, input: unknown, signal: AbortSignal) => Promise<unknown>) | undefined;
  /** Hands a plugin's published event to its host's subscriptions; undefined for a thread that is no plugin. */
  published: ((event: string, data: unknown) => void) | undefined;
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
  /** The streams being read from the child, by request id. */
  readonly #streams = new Map<number, StreamReader>();
  /** The signals of the child's calls being served. */
  readonly #answering = new CallSignals();

  constructor(host: ExchangeHost) {
    this.#host = host;
  }

  /**
   * Asks the child; `check` looks at the answer's value before it settles the request. A call may
   * be aborted by `signal`; its timeout or abort tells the child with a `cancel` frame.
   */
  request(
    call: string,
    timeout: number,
    slow: string,
    body: RequestBody,
    check?: AnswerCheck,
    signal?: AbortSignal,
  ): Promise<unknown> {
    const timedOut = () =>
      new ThreadTimeoutError(
        `${call} of ${this.#host.label()}: no answer within ${timeout} ms; the child may be busy in synchronous code or stopped. Pass a larger { timeout } if ${slow}.`,
      );
    const send = (id: number) => {
      this.#host.post({ t: 'request', id, ...body }, call, (error) => {
        if (error !== null) this.#requests.settle(id, error);
      });
    };
    if (body.kind !== 'call') return this.#requests.open(call, timeout, timedOut, send, check);
    const cancel = (id: number, reason: CancelFrame['reason']) =>
      this.#host.post({ t: 'cancel', id, reason }, call, noop);
    return openCancellable(this.#requests, call, timeout, timedOut, send, { signal, cancel }, check);
  }

  /**
   * Opens stream `method` of the child: at most `highWaterMark` items are held unread, each wait for the
   * next one is bounded by `timeout`, and `signal` or an early end tells the child with a `cancel` frame.
   */
  stream(
    method: string,
    input: unknown,
    options: { highWaterMark: number; timeout: number; signal: AbortSignal | undefined },
  ): StreamReader {
    const call = `stream("${method}")`;
    const id = this.#requests.reserve();
    const timedOut = () =>
      new ThreadTimeoutError(
        `${call} of ${this.#host.label()}: no item within ${options.timeout} ms; pass a larger { timeout } if the plugin's items come slower.`,
      );
    const reader = new StreamReader(
      call,
      options,
      {
        more: (credit) => this.#host.post({ t: 'more', id, credit }, call, noop),
        cancel: (reason) => {
          this.#streams.delete(id);
          this.#host.post({ t: 'cancel', id, reason }, call, noop);
        },
        finished: () => this.#streams.delete(id),
        hold: (bytes) => this.#host.held.add('unread stream items', bytes),
      },
      timedOut,
    );
    this.#streams.set(id, reader);
    const request = { t: 'request', id, kind: 'stream', method, input, credit: options.highWaterMark };
    this.#host.post(request, call, (error) => {
      if (error !== null) reader.ended(error);
    });
    return reader;
  }

  /**
   * An item of one of the host's streams, brought by a frame of `bytes`: they count against the child's
   * budget until it is read. One for a stream the host gave up is dropped.
   */
  streamItem(frame: ItemFrame, bytes: number): void {
    const problem = this.#streams.get(frame.id)?.item(frame.value, bytes);
    if (problem !== undefined) this.#host.misbehave(problem);
  }

  /** The end of one of the host's streams. */
  streamEnd(frame: EndFrame): void {
    this.#streams.get(frame.id)?.ended(frame.error === undefined ? undefined : fromErrorData(frame.error));
  }

  /** An event the plugin published: a thread no plugin host supervises has nobody to publish to. */
  published(frame: EventFrame): void {
    if (this.#host.published === undefined) this.#host.invalid('an event, but it is no plugin of a PluginHost');
    else this.#host.published(frame.event, frame.data);
  }

  /** The child gave up on one of its calls: its signal aborts, its slot is free at once, its answer is dropped. */
  cancelled(frame: CancelFrame): void {
    const call = `a call from ${this.#host.label()}`;
    const reason = () =>
      frame.reason === 'aborted'
        ? new AbortError(`${call} was aborted by the plugin's signal.`)
        : new ThreadTimeoutError(`${call} timed out in the plugin; it no longer waits for the answer.`);
    if (this.#answering.cancel(frame.id, reason)) this.#callsInFlight--;
  }

  /**
   * The child's answer to one of the host's requests. A value its request checks itself (a status,
   * measured against MAX_STATUS_BYTES and refused softly) is left to that check; any other is
   * measured against the frame's bound, as ChildFrames measures every other frame's value.
   */
  answered(frame: AnswerFrame, bytes: number): void {
    if (frame.t === 'reply' && !this.#requests.checks(frame.id)) {
      const over = overFrameBound('an answer', frame.value, bytes);
      if (over !== undefined) {
        this.#host.misbehave(over);
        return;
      }
    }
    const problem = this.#requests.answer(frame);
    if (problem !== undefined) this.#host.invalid(`a reply outside the protocol (${problem})`);
  }

  /** The child is gone: every request still open gets the error made for it, and every call it made is aborted. */
  rejectAll(errorFor: (call: string) => Error): void {
    this.#requests.rejectAll(errorFor);
    for (const [id, reader] of [...this.#streams]) {
      this.#streams.delete(id);
      reader.ended(errorFor(reader.call));
    }
    this.#answering.abortAll(() => errorFor('the call to the host'));
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
    const signal = this.#answering.begin(id);
    let late: ThreadTimeoutError | undefined;
    let frame: object;
    try {
      const { serve } = this.#host;
      if (serve === undefined) {
        throw new ThreadStateError(
          `call("${method}") from ${this.#host.label()}: this host serves no functions to the thread; run it under a PluginHost whose spec has serve.${method}.`,
        );
      }
      const timedOut = () => {
        late = new ThreadTimeoutError(
          `call("${method}") from ${this.#host.label()}: the host's function did not answer within the call's ${deadline} ms; its answer, if it comes, is dropped.`,
        );
        return late;
      };
      frame = { t: 'reply', id, value: await withinDeadline(serve(method, input, signal), deadline, timedOut) };
    } catch (error) {
      // Past the call's own deadline the child has given the call up already: the function is told through
      // its signal and the slot is freed, but no answer is sent, since one could only race the child's exit.
      if (error === late) {
        if (this.#answering.cancel(id, () => late)) this.#callsInFlight--;
        return;
      }
      frame = { t: 'reply-error', id, error: toErrorData(error) };
    }
    // Cancelled meanwhile: its slot is free already, and nobody waits for the answer.
    if (!this.#answering.end(id)) return;
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
