import type { EventEmitter } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import type { JailThread } from 'jailthread';

/** The compiled fixture `name`, as a file: URL. */
export const fixture = (name: string): URL => new URL(`./fixtures/${name}.js`, import.meta.url);

/** The compiled host script `name` (a program that uses the library), as a file: URL. */
export const hostScript = (name: string): URL => new URL(`./hosts/${name}.js`, import.meta.url);

const started = new Set<JailThread<unknown>>();

/**
 * Starts a thread whose status() says when its process began (`origin`, as
 * OptionsEcho's does) and says whether that process existed before start()
 * was called: a spare's did.
 */
export async function startedWarm(thread: JailThread<unknown>): Promise<boolean> {
  const called = performance.timeOrigin + performance.now();
  await track(thread).start();
  const { origin } = (await thread.getStatus()) as { origin: number };
  return origin < called;
}

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

/** The parent PID of process `pid`; undefined once it is gone. */
export function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/** Whether process `pid` runs the worker entry; false once it is gone, even between the check and the read. */
const isWorker = (pid: number): boolean => {
  try {
    return !isGone(pid) && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('worker-entry');
  } catch {
    return false;
  }
};

/** This process's children, from every one of its threads' lists. */
const children = (): number[] =>
  readdirSync('/proc/self/task')
    .flatMap((task) => readFileSync(`/proc/self/task/${task}/children`, 'utf8').trim().split(/\s+/))
    .filter(Boolean)
    .map(Number);

/** This process's live children that run the worker entry: its threads and spares. */
export const workers = (): number[] => children().filter(isWorker);

/**
 * The worker children each test of the calling suite made: those of this
 * process from before the test (other files' threads) are left out. With
 * `end`, each test ends by calling it (a `prewarm(0)`, say) and checks that
 * every child it made is gone.
 */
export function workersOfEachTest(end?: () => Promise<unknown>): () => number[] {
  let before: number[] = [];
  const mine = () => workers().filter((pid) => !before.includes(pid));
  beforeEach(() => {
    before = workers();
  });
  if (end !== undefined) {
    afterEach(async () => {
      await end();
      if (!(await allGoneWithin(mine(), 5_000))) throw new Error('spares left by the test');
    });
  }
  return mine;
}

/** This process's children that run the orphan watcher's shell. */
export const watcherShells = (): number[] =>
  children().filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('/bin/sh\0-c\0');
    } catch {
      return false;
    }
  });

/**
 * Polls `check` every 5 ms until it holds; false if it still does not at the
 * deadline. For states that no message announces (a process's end once its
 * host is gone, a figure a status row shows): a deadline bounds the wait.
 */
export async function within(check: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = performance.now() + ms;
  while (!(await check())) {
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return true;
}

/** Polls until every PID is gone; false if one outlives the deadline. */
export const allGoneWithin = (pids: number[], ms: number): Promise<boolean> => within(() => pids.every(isGone), ms);

/**
 * Keeps what this process writes to stderr (a thread's stderr, which the host passes on) from the
 * console until restore(), for a test to check it.
 */
export function captureStderr(): { text(): string; restore(): void } {
  const chunks: string[] = [];
  const original = process.stderr.write;
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
    const done = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
    done?.();
    return true;
  }) as typeof process.stderr.write;
  return { text: () => chunks.join(''), restore: () => (process.stderr.write = original) };
}

/** A PluginHost logger that keeps the plugins' own lines out of the test report. */
export const quiet = (): void => undefined;

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

const hosts = new Set<{ stop(): Promise<void> }>();

/** Registers a plugin host so the suite's afterEach stops it and its plugins. */
export function trackHost<T extends { stop(): Promise<void> }>(host: T): T {
  hosts.add(host);
  return host;
}

/** Resolves with the first event `name` the emitter fires whose payload passes `test`. */
export const eventWhere = <Events extends Record<keyof Events, unknown[]>, K extends keyof Events & string>(
  emitter: EventEmitter<Events>,
  name: K,
  test: (payload: Events[K][0]) => boolean = () => true,
): Promise<Events[K][0]> =>
  new Promise((resolve) => {
    const untyped = emitter as unknown as EventEmitter;
    const listener = (payload: Events[K][0]) => {
      if (!test(payload)) return;
      untyped.off(name, listener);
      resolve(payload);
    };
    untyped.on(name, listener);
  });

export const mochaHooks = {
  async afterEach(): Promise<void> {
    const running = [...hosts];
    hosts.clear();
    await Promise.all(running.map((host) => host.stop()));
    const threads = [...started];
    started.clear();
    for (const thread of threads) if (thread.isAlive() && thread.ident !== undefined) thread.kill();
    await Promise.all(threads.map((thread) => (thread.ident === undefined ? undefined : thread.join())));
  },
};
