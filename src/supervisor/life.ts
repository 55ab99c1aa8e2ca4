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
 * Ends the process: gracefully within `timeout` ms, then killed; one whose
 * start has not settled within `timeout` is killed at once (its module may
 * never finish loading). Resolves once its exit was seen.
 */
export async function endLife(life: Life, timeout: number): Promise<void> {
  const { thread } = life;
  if (!(await settlesWithin(life.started, timeout))) thread.kill();
  if (thread.isAlive()) await thread.stop({ timeout });
  await thread.join();
}

/** Whether `promise` settles within `ms`; leaves no timer behind. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), late]);
  } finally {
    clearTimeout(timer);
  }
}
