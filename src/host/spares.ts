import { currentDirectory } from '../cwd.js';
import { JailThreadError } from '../errors.js';
import type { ProcessOptions } from '../options.js';
import { FrameChannel } from '../protocol/channel.js';
import { channelStream, type HostChannelStream } from './channel-stream.js';
import { hostModulesLoaded, loadHostModules } from './host-modules.js';
import { type Child, childExecArgv, setChildRef, spawnChild } from './spawn.js';
import { unwatchChild, watchChild } from './watcher.js';

/** A child that has loaded the worker entry and the library, waiting for its init frame. */
export interface Spare {
  child: Child;
  channel: FrameChannel<HostChannelStream>;
}

interface Pool {
  options: ProcessOptions;
  target: number;
  ready: Spare[];
  starting: Set<Spare>;
  /** prewarm() calls waiting for the pool to fill. */
  waiters: { resolve(): void; reject(error: Error): void }[];
}

const pools = new Map<string, Pool>();

/**
 * Spares serve only starts whose child would be forked the same way: the same
 * effective Node flags, environment, working directory and output routing;
 * and a plugin's spares serve only that plugin.
 */
function keyOf(options: ProcessOptions): string {
  const env = Object.entries(options.env).sort(([a], [b]) => (a < b ? -1 : 1));
  const { extendEnv, cwd, output, pool } = options;
  return JSON.stringify([childExecArgv(options), env, extendEnv, cwd ?? currentDirectory(), output, pool ?? null]);
}

/**
 * Spares must not keep the host alive, except while a prewarm() call awaits
 * them: a host whose only work is that await would otherwise exit under it.
 */
function setRef(spare: Spare, on: boolean): void {
  setChildRef(spare.child, spare.channel.socket, on);
}

function settle(pool: Pool, error?: Error): void {
  if (error === undefined && pool.ready.length < pool.target) return;
  for (const spare of pool.starting) setRef(spare, false);
  for (const waiter of pool.waiters.splice(0)) {
    if (error === undefined) waiter.resolve();
    else waiter.reject(error);
  }
}

/** Spares adopted by a thread: from then on their controller owns them. */
const taken = new WeakSet<Spare>();
/** Spares ended because prewarm() lowered the target: their end is no failure. */
const dismissed = new WeakSet<Spare>();

/** Forks a spare; false when no process could be made, which fails the prewarm() calls waiting. */
function spawnSpare(pool: Pool): boolean {
  let child: Child;
  try {
    child = spawnChild(pool.options);
  } catch (error) {
    settle(
      pool,
      new JailThreadError(`JailThread.prewarm(): a spare child could not be forked: ${(error as Error).message}.`, {
        cause: error,
      }),
    );
    return false;
  }
  const pid = child.pid;
  let ready = false;
  let gone = false;
  const channel = new FrameChannel(channelStream(child), {
    onFrame: (frame) => {
      if (ready || dismissed.has(spare) || (frame as { t?: unknown } | null)?.t !== 'ready') return;
      ready = true;
      pool.starting.delete(spare);
      setRef(spare, false);
      pool.ready.push(spare);
      settle(pool);
    },
    onInvalid: () => child.kill('SIGKILL'),
    onClose: () => undefined,
    // A spare runs no user code: one that is exiting is of no use, and is ended at once.
    onBye: () => child.kill('SIGKILL'),
  });
  const spare: Spare = { child, channel };
  pool.starting.add(spare);
  setRef(spare, pool.waiters.length > 0);
  if (pid !== undefined) watchChild(pid);
  const die = () => {
    if (gone || taken.has(spare)) return;
    gone = true;
    if (pid !== undefined) unwatchChild(pid);
    if (dismissed.has(spare)) return;
    if (ready) {
      const at = pool.ready.indexOf(spare);
      if (at >= 0) pool.ready.splice(at, 1);
    } else {
      pool.starting.delete(spare);
      settle(pool, new JailThreadError(`JailThread.prewarm(): a spare child ended before it was ready (pid ${pid}).`));
    }
  };
  child.once('close', die);
  // A child that never spawned emits no 'close'; execa's result says so.
  void child.then(die, die);
  return true;
}

/** Forks spares up to the target; stops at the first fork that fails, to try again at the next refill. */
function refill(pool: Pool): void {
  while (pool.ready.length + pool.starting.size < pool.target) {
    if (!spawnSpare(pool)) return;
  }
}

/** Whether starts with these two sets of process options are served by the same spares. */
export function samePool(a: ProcessOptions, b: ProcessOptions): boolean {
  return keyOf(a) === keyOf(b);
}

/** Keeps `count` spares ready for starts with these process options; resolves once they are. */
export function prewarm(count: number, options: ProcessOptions): Promise<void> {
  const key = keyOf(options);
  const pool = pools.get(key) ?? { options, target: 0, ready: [], starting: new Set(), waiters: [] };
  pools.set(key, pool);
  pool.target = count;
  for (const spare of pool.ready.splice(count)) spare.child.kill('SIGKILL');
  // Starting ones too, at once: one that never gets ready (a hung --import) must not outlive the pool.
  for (const spare of [...pool.starting].slice(Math.max(0, count - pool.ready.length))) {
    pool.starting.delete(spare);
    dismissed.add(spare);
    spare.child.kill('SIGKILL');
  }
  return new Promise((resolve, reject) => {
    pool.waiters.push({ resolve, reject });
    if (hostModulesLoaded()) refill(pool);
    else {
      loadHostModules()
        .then(() => refill(pool))
        .catch((error: Error) =>
          settle(pool, new JailThreadError(`JailThread.prewarm(): ${error.message}`, { cause: error })),
        );
    }
    for (const spare of pool.starting) setRef(spare, true);
    settle(pool);
  });
}

/**
 * A ready spare for these options, if there is one. The caller calls
 * replaceSpare() once its start has settled: forking the replacement sooner
 * would compete with the very start that took the spare.
 */
export function takeSpare(options: ProcessOptions): Spare | undefined {
  const pool = pools.get(keyOf(options));
  const spare = pool?.ready.shift();
  if (pool === undefined || spare === undefined) return undefined;
  taken.add(spare);
  return spare;
}

/** Forks a replacement for a spare taken with these options. */
export function replaceSpare(options: ProcessOptions): void {
  const pool = pools.get(keyOf(options));
  if (pool !== undefined) refill(pool);
}
