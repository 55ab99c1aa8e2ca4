import { ThreadStartError } from '../errors.js';
import type { ExitReason } from '../thread-model.js';
import { describeExit } from './exit-reason.js';

/** How the child ended before run() began, as the error start() rejects with. */
export interface FailedStart {
  label: string;
  /** Named in the message: V8's syntax errors do not say which file they are in. */
  module: string;
  /** What the child (or the spawn) said went wrong, if anything did. */
  cause: Error | undefined;
  /** The `startTimeout` that ran out, in ms, if that is what ended it. */
  timedOut: number | undefined;
  /** stop() was called before run() began. */
  stopped: boolean;
  /** The end of what the child wrote to stderr: the only word from a child that dies before it can send one. */
  stderr: string;
  reason: ExitReason;
  exitCode: number | null;
  signalCode: NodeJS.Signals | null;
}

export function startError(failed: FailedStart): ThreadStartError {
  const { cause, stderr } = failed;
  const ended = describeExit(failed.reason, failed.exitCode, failed.signalCode);
  const what =
    failed.timedOut !== undefined
      ? `run() had not begun within the startTimeout of ${failed.timedOut} ms (${failed.module} may never finish loading), so the child was killed; raise startTimeout if the thread needs longer to start`
      : cause === undefined
        ? `the child ended (${ended}) before run() began${failed.stopped ? ': stop() was called while it started' : ''}`
        : `the child could not start the thread from ${failed.module}: ${cause.name}: ${cause.message.replace(/\.$/, '')}`;
  const said = stderr === '' ? '' : `\nIts stderr ended with:\n  ${stderr.replaceAll('\n', '\n  ')}`;
  return new ThreadStartError(`start() of ${failed.label}: ${what}.${said}`, { cause });
}
