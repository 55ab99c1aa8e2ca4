import { existsSync } from 'node:fs';
import { ThreadStartError } from '../errors.js';
import type { ProcessOptions } from '../options.js';
import { type ChannelEvents, FrameChannel } from '../protocol/channel.js';
import type { ModuleSpec } from '../thread-model.js';
import type { ThreadState } from '../thread-state.js';
import { channelStream, type HostChannelStream } from './channel-stream.js';
import { routeOutput } from './process-wide/output.js';
import { replaceSpare, takeSpare } from './process-wide/spares.js';
import { watchChild } from './process-wide/watcher.js';
import { type Child, spawnChild } from './spawn.js';
import { keepStderrTail, type StderrTail } from './stderr-tail.js';

/** What a plugin host adds to a thread it supervises. */
export interface HostHooks {
  /** Answers the child's calls to host functions; `signal` aborts when the child cancels the call or exits. */
  serve?(method: string, input: unknown, signal: AbortSignal): Promise<unknown>;
  /** Receives the events the plugin publishes. */
  onEvent?(event: string, data: unknown): void;
  /**
   * Receives the child's stdout and stderr line by line, instead of the host's
   * streams; a line over MAX_LINE_LENGTH comes in pieces, each but the last `continued`.
   */
  onLine?(stream: 'stdout' | 'stderr', line: string, continued: boolean): void;
}

export interface LaunchPlan {
  spec: ModuleSpec;
  options: Record<string, unknown>;
  args: unknown[];
  process: ProcessOptions;
  hooks: HostHooks;
  /** Read when the child is forked, so changes made while start() loads this module are not lost. */
  state(): Omit<ThreadState, 'stopTimeout'>;
}

/** What the launched child tells its controller. */
export interface LaunchEvents extends ChannelEvents {
  /** The thread's name for output prefixes, read at each line: the host's, which can change. */
  name(): string;
  onOutOfMemory(): void;
  /** The process could not be made, or failed in a way that comes with an error. */
  onError(error: Error): void;
  /** The process is gone; 'close', so the frame channel has drained first. */
  onExit(exitCode: number | null, signalCode: NodeJS.Signals | null): void;
}

/** A launched child: its process, its frame channel and what it wrote to stderr before run() began. */
export interface Launched {
  child: Child;
  channel: FrameChannel<HostChannelStream>;
  startOutput: StderrTail;
  /** Once start() has settled, a spare taken for this thread is replaced. */
  spareTaken: boolean;
}

/**
 * Forks the thread's child, or throws the ThreadStartError that start()
 * rejects with when no process could be made (no file descriptors left):
 * nothing else is set up yet, so nothing needs undoing.
 */
function forkChild(plan: LaunchPlan, name: string): Child {
  try {
    return spawnChild(plan.process, plan.spec.module);
  } catch (error) {
    const { message } = error as Error;
    throw new ThreadStartError(
      `start() of thread "${name}": the child process could not be forked: ${message}; free file descriptors or memory (or raise ulimit -n), then start a new thread.`,
      { cause: error },
    );
  }
}

/**
 * Gets the thread a child: a spare (see prewarm()) has Node and the library
 * loaded already and only waits for its init frame; otherwise (or `cold`) one
 * is forked now. Its output, watcher, channel and end are wired to `events`.
 */
export function launch(plan: LaunchPlan, name: string, events: LaunchEvents, cold = false): Launched {
  const spare = cold ? undefined : takeSpare(plan.process, plan.spec.module);
  const child = spare?.child ?? forkChild(plan, name);
  routeOutput(child.stdout, child.stderr, {
    prefix: plan.process.output === 'prefix' ? () => `[${events.name()}] ` : undefined,
    onLine: plan.hooks.onLine,
    onOutOfMemory: events.onOutOfMemory,
  });
  const startOutput = keepStderrTail(child.stderr);
  // A spare is watched since its fork.
  if (child.pid !== undefined && spare === undefined) watchChild(child.pid);
  const channel = spare?.channel.retarget(events) ?? new FrameChannel(channelStream(child), events);
  const failed = (error: Error) => events.onError(missingCwd(plan.process.cwd, error) ?? error);
  child.on('error', failed);
  child.once('close', events.onExit);
  drainAfterExit(child, channel);
  child.then((result) => {
    // A child that never spawned (bad cwd, no memory) emits no 'close'.
    if (result.exitCode === undefined && result.signal === undefined) {
      const cause: unknown = result.cause;
      failed(cause instanceof Error ? cause : new Error(result.message));
      events.onExit(null, null);
    }
  }, failed);
  return { child, channel, startOutput, spareTaken: spare !== undefined };
}

/**
 * How long the host still reads a child's channel and pipes after its process
 * has exited: what it wrote before it exited is in the pipes by then, and
 * normally they close at once, as its 'close' says.
 */
export const EXIT_DRAIN_MS = 1000;

/**
 * Sees the exit from the process itself, not only from its pipes closing: a
 * process that left a helper holding its channel and output pipes (inherited
 * file descriptors) would otherwise never be seen to end. Past the drain
 * time, the host closes its ends, and 'close' comes.
 */
function drainAfterExit(child: Child, channel: FrameChannel<HostChannelStream>): void {
  child.once('exit', () => {
    const drained = setTimeout(() => {
      channel.socket.destroy();
      child.stdout?.destroy();
      child.stderr?.destroy();
    }, EXIT_DRAIN_MS).unref();
    child.once('close', () => clearTimeout(drained));
  });
}

/**
 * Node words a working directory that does not exist as `spawn /usr/bin/node
 * ENOENT`, which blames Node: the error says which folder is missing instead.
 */
function missingCwd(cwd: string | undefined, error: Error): Error | undefined {
  if (cwd === undefined || (error as NodeJS.ErrnoException).code !== 'ENOENT' || existsSync(cwd)) return undefined;
  return Object.assign(
    new Error(`the working directory ${cwd} does not exist (ENOENT); create it, or pass a cwd that exists`, {
      cause: error,
    }),
    { code: 'ENOENT', path: cwd },
  );
}

/** Replaces a spare taken for a start, once that start has settled. */
export function replaceSpareAfter(started: Promise<void>, options: ProcessOptions): void {
  // A turn later, so the caller of start() resumes before the fork.
  const replace = () => setImmediate(() => replaceSpare(options));
  started.then(replace, replace);
}

/** The init frame: what the child needs to import, construct and run the thread. */
export function initFrame(plan: LaunchPlan, state: Omit<ThreadState, 'stopTimeout'>): object {
  const { spec } = plan;
  return {
    t: 'init',
    module: spec.module,
    ...(spec.export === undefined ? {} : { export: spec.export }),
    ...(spec.className === undefined ? {} : { className: spec.className }),
    options: plan.options,
    args: plan.args,
    state: { ...state, stopTimeout: plan.process.stopTimeout },
  };
}
