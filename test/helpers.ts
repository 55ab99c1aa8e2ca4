import { readFileSync } from 'node:fs';
import type { JailThread } from 'jailthread';

/** The compiled fixture `name`, as a file: URL. */
export const fixture = (name: string): URL => new URL(`./fixtures/${name}.js`, import.meta.url);

/** The compiled host script `name` (a program that uses the library), as a file: URL. */
export const hostScript = (name: string): URL => new URL(`./hosts/${name}.js`, import.meta.url);

const started = new Set<JailThread<unknown>>();

/** Registers a thread so the suite's afterEach kills it if a test left it running. */
export function track<T extends JailThread<unknown>>(thread: T): T {
  started.add(thread);
  return thread;
}

/** True when no process `pid` runs any more (a zombie counts as gone). */
export function isGone(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state === 'Z' || state === 'X';
  } catch {
    return true;
  }
}

/**
 * Polls until every PID is gone; false if one outlives the deadline. A
 * deadline, not a sleep: the processes' end is the event, and it has no
 * message to wait for once their host is gone.
 */
export async function allGoneWithin(pids: number[], ms: number): Promise<boolean> {
  const deadline = performance.now() + ms;
  while (pids.some((pid) => !isGone(pid))) {
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return true;
}

/** Resolves with the next 'message' the thread receives. */
export const nextMessage = <T = unknown>(thread: JailThread<unknown>): Promise<T> =>
  new Promise((resolve) => thread.once('message', (data) => resolve(data as T)));

/** Resolves once the thread receives a message equal to `expected`. */
export const messageWhere = <T = unknown>(thread: JailThread<unknown>, test: (data: T) => boolean): Promise<T> =>
  new Promise((resolve) => {
    const listener = (data: unknown) => {
      if (test(data as T)) {
        thread.off('message', listener);
        resolve(data as T);
      }
    };
    thread.on('message', listener);
  });

export const mochaHooks = {
  async afterEach(): Promise<void> {
    const threads = [...started];
    started.clear();
    for (const thread of threads) if (thread.isAlive() && thread.ident !== undefined) thread.kill();
    await Promise.all(threads.map((thread) => (thread.ident === undefined ? undefined : thread.join())));
  },
};
