import type { StatePatch as FramePatch } from './protocol/frames.js';

/**
 * The thread state either side may change and the other must mirror: the
 * protocol's `set` frame without its tag. Written out rather than inferred
 * from the frame's schema so that the published declarations do not import
 * zod, which the package bundles (a project without zod and with
 * skipLibCheck off failed on them); a check below keeps the two equal.
 */
export interface StatePatch {
  active?: boolean | undefined;
  idle?: boolean | undefined;
  sleeptime?: number | undefined;
  name?: string | undefined;
}
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;
// An error here means the frame's fields changed: change StatePatch to match.
// biome-ignore lint/correctness/noUnusedVariables: a check at compile time, used by nothing
type PatchMatchesFrame = Expect<Same<StatePatch, FramePatch>>;

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
