import { ProtocolError } from '../errors.js';
import { type ChildMessage, childMessage } from '../protocol/child-message.js';
import { fromErrorData } from '../protocol/error-data.js';
import { describeIssues } from '../protocol/issues.js';
import type { HostView } from '../view.js';
import type { HostExchange } from './exchange.js';
import { overFrameBound } from './frame-bound.js';

/** Invalid frames reported one by one; at this count the child is killed. */
export const MAX_INVALID_FRAMES = 100;

/** What a child's frames act on: the thread's view and exchange, and its controller's life. */
export interface FrameTarget {
  view: HostView;
  exchange: HostExchange;
  label(): string;
  /** A spare says it has its init frame: from here on, its end is its thread's. */
  adopted(): void;
  /** The child says run() has begun. */
  started(): void;
  startFailed(error: Error): void;
  /** Once the host stops the thread, the child cannot make it active again. */
  stopRequested(): boolean;
  /** The thread's last status, sent as run() returned. */
  finished(status: unknown): void;
  misbehave(problem: string): void;
}

/**
 * What is wrong with the value a frame carries, measured before anything
 * expands it. A status (`finished`, and a reply to a status request, see
 * HostExchange.answered) has its own soft bound, MAX_STATUS_BYTES.
 */
function measured(frame: ChildMessage, bytes: number): string | undefined {
  switch (frame.t) {
    case 'event':
      return overFrameBound(`an event "${frame.event}"`, frame.data, bytes);
    case 'item':
      return overFrameBound('a stream item', frame.value, bytes);
    case 'request':
      return overFrameBound(`a call("${frame.method}") to the host`, frame.input, bytes);
    case 'msg':
      return overFrameBound('a message', frame.data, bytes);
    case 'reply-error':
    case 'start-failed':
    case 'run-error':
      return overFrameBound(`an error (${frame.t})`, frame.error, bytes);
    case 'end':
      return frame.error === undefined ? undefined : overFrameBound('an error (end)', frame.error, bytes);
    default:
      return undefined;
  }
}

/**
 * Checks every frame a child sends and routes it. A child is untrusted: each
 * bad frame is reported and changes nothing, and one that keeps sending them
 * is killed rather than left to flood the host.
 */
export class ChildFrames {
  readonly #target: FrameTarget;
  #invalid = 0;

  constructor(target: FrameTarget) {
    this.#target = target;
  }

  /** `bytes`: the frame's size on the wire, held for as long as the host holds what it carries. */
  frame(raw: unknown, bytes: number): void {
    const parsed = childMessage().safeParse(raw);
    if (parsed.success) {
      const problem = measured(parsed.data, bytes);
      if (problem === undefined) this.#dispatch(parsed.data, bytes);
      else this.#target.misbehave(problem);
    } else this.invalid(`a frame outside the protocol (${describeIssues(parsed.error)})`);
  }

  invalid(problem: string): void {
    this.#invalid++;
    const target = this.#target;
    if (this.#invalid <= MAX_INVALID_FRAMES) {
      target.view.report(new ProtocolError(`${target.label()} sent ${problem}; it was ignored and changed nothing.`));
    }
    if (this.#invalid === MAX_INVALID_FRAMES) {
      target.misbehave(
        `sent ${MAX_INVALID_FRAMES} frames outside the protocol; it was killed. Fix the thread's code, or what writes to its fd 3.`,
      );
    }
  }

  #dispatch(frame: ChildMessage, bytes: number): void {
    const target = this.#target;
    switch (frame.t) {
      case 'ready':
        // A spare's announcement, already answered by adopting it.
        return;
      case 'adopted':
        target.adopted();
        return;
      case 'started':
        target.started();
        return;
      case 'start-failed':
        target.startFailed(fromErrorData(frame.error));
        return;
      case 'set': {
        const { t: _, ...patch } = frame;
        if (target.stopRequested()) delete patch.active;
        target.view.apply(patch);
        return;
      }
      case 'reply':
      case 'reply-error':
        target.exchange.answered(frame, bytes);
        return;
      case 'request':
        target.exchange.called(frame, bytes);
        return;
      case 'cancel':
        target.exchange.cancelled(frame);
        return;
      case 'event':
        target.exchange.published(frame);
        return;
      case 'item':
        target.exchange.streamItem(frame, bytes);
        return;
      case 'end':
        target.exchange.streamEnd(frame);
        return;
      case 'run-error':
        target.view.report(fromErrorData(frame.error));
        return;
      case 'finished':
        target.finished(frame.status);
        return;
      case 'msg':
        target.view.deliver(frame.data);
        return;
    }
  }
}
