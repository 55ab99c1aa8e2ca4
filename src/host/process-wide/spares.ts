import { currentDirectory } from '../../cwd.js';
import { JailThreadError } from '../../errors.js';
import type { ProcessOptions } from '../../options.js';
import { FrameChannel } from '../../protocol/channel.js';
import { channelStream, type HostChannelStream } from '../channel-stream.js';
import { childExecArgv } from '../exec-argv.js';
import { type Child, setChildRef, spawnChild } from '../spawn.js';
import { keepStderrTail, type StderrTail } from '../stderr-tail.js';
import { hostModulesLoaded, loadHostModules } from './host-modules.js';
import { inPool, nextSpare, type SpareEvent, type SpareState } from './spare-life.js';
import { unwatchChild, watchChild } from './watcher.js';

/**
 * A child that has loaded the worker entry and the library, waiting for its
 * init frame. Its life is one value with one setter (see SpareState): the
 * pool reads it, and a start adopts only a spare that is `'ready'`.
 */
export class Spare {
  readonly child: Child;
  readonly channel: FrameChannel<HostChannelStream>;
  #state: SpareState = 'starting';
  readonly #changed: (spare: Spare, was: SpareState) => void;

  constructor(
    child: Child,
    channel: (spare: Spare) => FrameChannel<HostChannelStream>,
    changed: (spare: Spare, was: SpareState) => void,
  ) {
    this.child = child;
    this.channel = channel(this);
    this.#changed = changed;
  }

  get state(): SpareState {
    return this.#state;
  }

  /** The one setter: moves the spare by `event`; true if it changed. */
  move(event: SpareEvent): boolean {
    const was = this.#state;
    const next = nextSpare(was, event);
    if (next === was) return false;
    this.#state = next;
    this.#changed(this, was);
    return true;
  }

  /** Ends a spare of the pool's: from this moment nobody can adopt it, though its exit comes later. */
  dismiss(): void {
    if (this.move('dismiss')) this.child.kill('SIGKILL');
  }
}

interface Pool {
  options: ProcessOptions;
  /** keyOf(options): the pools of one set of options, with and without a module preloaded. */
  forked: string;
  /** The module its spares import before they are ready (Subclass.prewarm()), and the only one they serve. */
  preload: string | undefined;
  target: number;
  /** The pool's spares, starting or ready, in the order they were forked: a start takes the oldest ready one. */
  members: Spare[];
  /** prewarm() calls waiting for the pool to fill. */
  waiters: { resolve(): void; reject(error: Error): void }[];
}

const pools = new Map<string, Pool>();

/** A pool's key: how its spares are forked, and the module they preload (null for none). */
const poolKey = (forked: string, preload: string | null): string => JSON.stringify([forked, preload]);

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

const inState = (pool: Pool, state: SpareState): Spare[] => pool.members.filter((spare) => spare.state === state);

function settle(pool: Pool, error?: Error): void {
  if (error === undefined && inState(pool, 'ready').length < pool.target) return;
  for (const spare of inState(pool, 'starting')) setRef(spare, false);
  for (const waiter of pool.waiters.splice(0)) {
    if (error === undefined) waiter.resolve();
    else waiter.reject(error);
  }
}

/**
 * What a spare's every change means for its pool: the one place that reads
 * the spare's moves. `startOutput` is the end of its stderr until it is ready.
 */
function changed(pool: Pool, spare: Spare, was: SpareState, startOutput: StderrTail): void {
  const { state } = spare;
  if (!inPool(state)) {
    const at = pool.members.indexOf(spare);
    if (at >= 0) pool.members.splice(at, 1);
  }
  if (state === 'gone' && spare.child.pid !== undefined) unwatchChild(spare.child.pid);
  if (state === 'ready') {
    setRef(spare, false);
    settle(pool);
  } else if (state === 'gone' && was === 'starting') {
    const said = startOutput.text();
    settle(
      pool,
      new JailThreadError(
        `JailThread.prewarm(): a spare child ended before it was ready (pid ${spare.child.pid})${said === '' ? '' : `; its stderr:\n${said}`}.`,
      ),
    );
  }
  // Past its start, its output is no longer kept: a taken spare's is its thread's.
  if (state !== 'starting') startOutput.stop();
}

/** Forks a spare; false when no process could be made, which fails the prewarm() calls waiting. */
function spawnSpare(pool: Pool): boolean {
  let child: Child;
  try {
    child = spawnChild(pool.options, pool.preload, true);
  } catch (error) {
    settle(
      pool,
      new JailThreadError(`JailThread.prewarm(): a spare child could not be forked: ${(error as Error).message}.`, {
        cause: error,
      }),
    );
    return false;
  }
  // Why a spare that ends before it is ready did (a preloaded module that threw, a refused flag).
  const startOutput = keepStderrTail(child.stderr);
  const spare = new Spare(
    child,
    (self) =>
      new FrameChannel(channelStream(child), {
        onFrame: (frame) => {
          if ((frame as { t?: unknown } | null)?.t === 'ready') self.move('ready');
        },
        onInvalid: () => self.dismiss(),
        onClose: () => undefined,
        // A spare runs no user code: one that is exiting is of no use, and is ended at once.
        onBye: () => self.dismiss(),
      }),
    (self, was) => changed(pool, self, was, startOutput),
  );
  pool.members.push(spare);
  setRef(spare, pool.waiters.length > 0);
  if (child.pid !== undefined) watchChild(child.pid);
  // 'exit', not 'close': a spare is no use from the moment its process has ended.
  child.once('exit', () => spare.move('exit'));
  // A child that never spawned emits no 'exit'; execa's result says so.
  const gone = () => spare.move('exit');
  void child.then(gone, gone);
  return true;
}

/** Forks spares up to the target; stops at the first fork that fails, to try again at the next refill. */
function refill(pool: Pool): void {
  while (pool.members.length < pool.target) {
    if (!spawnSpare(pool)) return;
  }
}

/** Whether starts with these two sets of process options are served by the same spares. */
export function samePool(a: ProcessOptions, b: ProcessOptions): boolean {
  return keyOf(a) === keyOf(b);
}

/**
 * Keeps `count` spares ready for starts with these process options, each
 * having imported `preload` if given; resolves once they are.
 */
export function prewarm(count: number, options: ProcessOptions, preload?: string): Promise<void> {
  const forked = keyOf(options);
  const key = poolKey(forked, preload ?? null);
  const pool = pools.get(key) ?? { options, forked, preload, target: 0, members: [], waiters: [] };
  pools.set(key, pool);
  pool.target = count;
  // Ready ones are kept first; starting ones past the target are ended too, at once: one that never gets
  // ready (a hung --import) must not outlive the pool.
  const kept = [...inState(pool, 'ready'), ...inState(pool, 'starting')];
  for (const spare of kept.slice(count)) spare.dismiss();
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
    for (const spare of inState(pool, 'starting')) setRef(spare, true);
    settle(pool);
  });
}

/**
 * A ready spare for a thread of `module` with these options, if there is one:
 * one that has imported that module already, else one that preloaded nothing.
 * The caller calls replaceSpare() once its start has settled: forking the
 * replacement sooner would compete with the very start that took the spare.
 */
export function takeSpare(options: ProcessOptions, module: string): Spare | undefined {
  const forked = keyOf(options);
  for (const preload of [module, null]) {
    const spare = pools.get(poolKey(forked, preload))?.members.find((member) => member.state === 'ready');
    if (spare?.move('take')) return spare;
  }
  return undefined;
}

/** Forks a replacement for a spare taken with these options, in whichever of their pools it came from. */
export function replaceSpare(options: ProcessOptions): void {
  const forked = keyOf(options);
  for (const pool of pools.values()) if (pool.forked === forked) refill(pool);
}
