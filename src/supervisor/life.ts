import type { JailThread } from '../thread.js';

/** One process of a supervised plugin, from its fork until its exit was seen. */
export interface Life {
  readonly thread: JailThread;
  /** Resolves true once `run()` has begun, false if the start failed (then `startError` says why). */
  readonly started: Promise<boolean>;
  startError: Error | undefined;
  /** When `run()` began, for the uptime; undefined until it did. */
  startedAt: number | undefined;
  /** An operation (stop, restart, kill) ended it: the operation sets the plugin's state, not the policy. */
  owned: boolean;
  /** Why the supervisor ended it on its own (`unresponsive`, `rss limit`), and whether that counts as a crash. */
  ending: { reason: string; crash: boolean } | undefined;
  /** Its exit (or failed start) was handled. */
  ended: boolean;
  /** The ending an operation began, shared by every operation that asks for it. */
  stopping: Promise<void> | undefined;
  stopHealth: () => void;
}

/**
 * Starts `thread` as a plugin's new life. `onExit` is called when a process
 * that began `run()` exits; a failed start is the launcher's to handle.
 */
export function newLife(thread: JailThread, onExit: () => void): Life {
  let begun = false;
  const life: Life = {
    thread,
    started: thread.start().then(
      () => {
        begun = true;
        return true;
      },
      (error: Error) => {
        life.startError = error;
        return false;
      },
    ),
    startError: undefined,
    startedAt: undefined,
    owned: false,
    ending: undefined,
    ended: false,
    stopping: undefined,
    stopHealth: () => undefined,
  };
  thread.once('exit', () => {
    if (begun) onExit();
  });
  return life;
}

/**
 * Ends the process: gracefully within `timeout` ms, then SIGTERM and SIGKILL,
 * whether or not run() has begun (a stop reaches a child whose module is
 * still loading, or never finishes). Resolves once its exit was seen.
 */
export async function endLife(life: Life, timeout: number): Promise<void> {
  await life.thread.stop({ timeout });
  await life.thread.join();
}
