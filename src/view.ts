import type { StatePatch } from './thread-state.js';

/**
 * What the host controller or the child runtime may do to a JailThread: the
 * narrow door through which the other side's news reaches the public object.
 */
export interface ThreadView {
  name(): string;
  /** A change the other side made; applied without echoing it back. */
  apply(patch: StatePatch): void;
  /** A user message from the other side. */
  deliver(data: unknown): void;
  /** An error of the thread's: an 'error' event, or a line on stderr when nobody listens. */
  report(error: Error): void;
}

export interface HostView extends ThreadView {
  exited(exitCode: number | null, signalCode: NodeJS.Signals | null): void;
}

/** What `stop()` resolves with. */
export interface StopResult {
  /** True when `run()` did not return within the timeout and the child was signalled. */
  forced: boolean;
  exitCode: number | null;
  signalCode: NodeJS.Signals | null;
}
