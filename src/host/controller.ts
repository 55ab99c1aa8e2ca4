import type { Socket } from 'node:net';
import { deferred } from '../deferred.js';
import { ProtocolError, ThreadStartError, ThreadStateError } from '../errors.js';
import type { ProcessOptions } from '../options.js';
import { FrameChannel, refusedFrame } from '../protocol/channel.js';
import { type ChildMessage, childMessage } from '../protocol/child-message.js';
import { fromErrorData } from '../protocol/error-data.js';
import { pongValue } from '../protocol/frames.js';
import { describeIssues } from '../protocol/issues.js';
import type { StatePatch, ThreadState } from '../thread-state.js';
import type { HostView, StopResult } from '../view.js';
import { HostExchange } from './exchange.js';
import { classifyExit, describeExit, type ExitReason } from './exit-reason.js';
import { routeOutput } from './output.js';
import { residentBytes } from './rss.js';
import { replaceSpare, takeSpare } from './spares.js';
import { type Child, setChildRef, spawnChild } from './spawn.js';
import { keepStderrTail, type StderrTail } from './stderr-tail.js';
import { unwatchChild, watchChild } from './watcher.js';

/** Where the child finds the thread's class. */
export interface ModuleSpec {
  module: string;
  export?: string;
  /** For a class started from the host: picks the export whose class has this name. */
  className?: string;
}

/** What a plugin host adds to a thread it supervises. */
export interface HostHooks {
  /** Answers the child's calls to host functions. */
  serve?(method: string, input: unknown): Promise<unknown>;
  /**
   * Receives the child's stdout and stderr line by line, instead of the host's
   * streams; a line over MAX_LINE_LENGTH comes in pieces, each but the last `continued`.
   */
  onLine?(stream: 'stdout' | 'stderr', line: string, continued: boolean): void;
}

/**
 * A health answer. `rss` is measured by the host (`/proc/<pid>/status`) where
 * there is a `/proc`, so limits hold against a child that lies; elsewhere, and
 * for `heapUsed` always, it is the child's own report.
 */
export interface Pong {
  rss: number;
  heapUsed: number;
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

/** Invalid frames reported one by one; at this count the child is killed. */
export const MAX_INVALID_FRAMES = 100;

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
 * The host's side of one thread: owns its child process, validates every
 * frame the child sends, and answers the public JailThread's calls.
 */
export class HostController {
  readonly pid: number | undefined;
  /** Resolves once `run()` has begun; rejects with ThreadStartError, once the child is gone. */
  readonly started: Promise<void>;
  exitCode: number | null = null;
  signalCode: NodeJS.Signals | null = null;
  exitReason: ExitReason | null = null;

  readonly #view: HostView;
  readonly #child: Child;
  readonly #start = deferred<void>();
  readonly #exit = deferred<void>();
  readonly #exitWaiters = new Set<() => void>();
  readonly #exchange: HostExchange;
  readonly #daemon: boolean;
  readonly #channel: FrameChannel;
  /** Named in start errors: V8's syntax errors do not say which file they are in. */
  readonly #module: string;
  #invalidFrames = 0;
  /** Killed for breaking the protocol or a bound: its exit reason says so. */
  #misbehaved = false;
  #holds = 0;
  #outOfMemory = false;
  /** SIGKILL sent: the child is as good as gone, whatever its channel says yet. */
  #killed = false;
  #begun = false;
  #exited = false;
  /** Armed once the child's channel is over; it kills a child that does not exit. */
  #exitDeadline: NodeJS.Timeout | undefined;
  #startError: Error | undefined;
  /** What the child wrote to stderr before run() began: the only word from a child that dies before it can send one. */
  readonly #startOutput: StderrTail;
  #lastStatus: unknown;
  /**
   * The thread's name as the host gave it: output prefixes come from here, not
   * from the mirrored name, which the child may change to pass for another thread.
   */
  #hostName: string;
  #stopping: Promise<StopResult> | undefined;

  constructor(view: HostView, plan: LaunchPlan) {
    this.#view = view;
    const state = plan.state();
    // A spare (see prewarm()) has Node and the library loaded already and
    // only waits for its init frame; otherwise the child is forked now.
    const spare = takeSpare(plan.process);
    this.#child = spare?.child ?? forkChild(plan, state.name);
    this.#daemon = state.daemon;
    this.#module = plan.spec.module;
    this.#exchange = new HostExchange({
      label: () => this.#label(),
      post: (frame, call, done) => this.#post(frame, call, done),
      serve: plan.hooks.serve,
      invalid: (problem) => this.#invalid(problem),
      misbehave: (problem) => this.#misbehave(problem),
    });
    this.#hostName = state.name;
    routeOutput(this.#child.stdout, this.#child.stderr, {
      prefix: plan.process.output === 'prefix' ? () => `[${this.#hostName}] ` : undefined,
      onLine: plan.hooks.onLine,
      onOutOfMemory: () => {
        this.#outOfMemory = true;
      },
    });
    this.#startOutput = keepStderrTail(this.#child.stderr);
    this.pid = this.#child.pid;
    if (this.pid !== undefined && spare === undefined) watchChild(this.pid);
    const events = {
      onFrame: (frame: unknown) => this.#onFrame(frame),
      onInvalid: (problem: string) => this.#invalid(problem),
      // A child whose channel is over must exit: it would otherwise live on
      // past every check that needs the channel (health pings, maxRssMb).
      onClose: () => this.#expectExit('closed its channel', plan.process.stopTimeout),
      onBye: () => this.#expectExit("said 'bye'", plan.process.stopTimeout),
    };
    this.#channel = spare?.channel.retarget(events) ?? new FrameChannel(this.#child.stdio[3] as Socket, events);
    this.#child.on('error', (error) => {
      this.#startError ??= error;
    });
    // 'close', not 'exit': it waits for the frame channel to drain, so the
    // final status and last messages are in before the exit is announced.
    this.#child.once('close', (code, signal) => this.#onExit(code, signal));
    this.#child.then(
      (result) => {
        // A child that never spawned (bad cwd, no memory) emits no 'close'.
        if (result.exitCode === undefined && result.signal === undefined) {
          const cause: unknown = result.cause;
          this.#startError ??= cause instanceof Error ? cause : new Error(result.message);
          this.#onExit(null, null);
        }
      },
      (error: Error) => {
        this.#startError ??= error;
      },
    );
    this.started = this.#held(this.#start.promise);
    if (spare !== undefined) {
      // A turn later, so the caller of start() resumes before the fork.
      const replace = () => setImmediate(() => replaceSpare(plan.process));
      this.started.then(replace, replace);
    }
    const { spec } = plan;
    this.#write(
      {
        t: 'init',
        module: spec.module,
        ...(spec.export === undefined ? {} : { export: spec.export }),
        ...(spec.className === undefined ? {} : { className: spec.className }),
        options: plan.options,
        args: plan.args,
        state: { ...state, stopTimeout: plan.process.stopTimeout },
      },
      'start()',
    ).catch((error: Error) => {
      // A child already gone says why itself, by its exit and its stderr;
      // only a frame the channel refused is the start's own error.
      if (!(error instanceof ThreadStateError)) this.#startError ??= error;
      this.signal('SIGKILL');
    });
  }

  /**
   * A daemon thread must not keep the host alive, but a host awaiting a call
   * on one must stay up until the call settles: the child and its pipes are
   * ref'd while any start, stop or join is pending.
   */
  async #held<T>(work: Promise<T>): Promise<T> {
    this.#hold(1);
    try {
      return await work;
    } finally {
      this.#hold(-1);
    }
  }

  #hold(delta: number): void {
    this.#holds += delta;
    if (this.#exited) return;
    setChildRef(this.#child, this.#channel.socket, !this.#daemon || this.#holds > 0);
  }

  /** Names the thread by the host's name for it: a child can rename itself, and must not pass for another. */
  #label(): string {
    return `thread "${this.#hostName}" (pid ${this.pid ?? 'none'})`;
  }

  #onFrame(raw: unknown): void {
    const parsed = childMessage.safeParse(raw);
    if (parsed.success) this.#dispatch(parsed.data);
    else this.#invalid(`a frame outside the protocol (${describeIssues(parsed.error)})`);
  }

  /**
   * A child is untrusted: each bad frame is reported and changes nothing, and
   * one that keeps sending them is killed rather than left to flood the host.
   */
  #invalid(problem: string): void {
    this.#invalidFrames++;
    if (this.#invalidFrames <= MAX_INVALID_FRAMES) {
      this.#view.report(new ProtocolError(`${this.#label()} sent ${problem}; it was ignored and changed nothing.`));
    }
    if (this.#invalidFrames === MAX_INVALID_FRAMES) {
      this.#misbehave(
        `sent ${MAX_INVALID_FRAMES} frames outside the protocol; it was killed. Fix the thread's code, or what writes to its fd 3.`,
      );
    }
  }

  #expectExit(what: string, ms: number): void {
    if (this.#exited || this.#exitDeadline !== undefined) return;
    this.#exitDeadline = setTimeout(
      () => this.#misbehave(`${what} but had not exited ${ms} ms later; it was killed.`),
      ms,
    ).unref();
  }

  /** Ends a child that broke the protocol or a bound, once, with a ProtocolError saying which. */
  #misbehave(problem: string): void {
    if (this.#misbehaved || this.#exited) return;
    this.#misbehaved = true;
    this.#view.report(new ProtocolError(`${this.#label()} ${problem}`));
    this.signal('SIGKILL');
  }

  #dispatch(frame: ChildMessage): void {
    switch (frame.t) {
      case 'ready':
        // A spare's announcement, already answered by adopting it.
        return;
      case 'started':
        this.#begun = true;
        this.#startOutput.stop();
        this.#start.resolve();
        return;
      case 'start-failed':
        this.#startError = fromErrorData(frame.error);
        return;
      case 'set': {
        const { t: _, ...patch } = frame;
        // Once the host stops the thread, the child cannot make it active again.
        if (this.#stopping !== undefined) delete patch.active;
        this.#view.apply(patch);
        return;
      }
      case 'reply':
      case 'reply-error':
        this.#exchange.answered(frame);
        return;
      case 'request':
        this.#exchange.called(frame);
        return;
      case 'run-error':
        this.#view.report(fromErrorData(frame.error));
        return;
      case 'finished':
        this.#lastStatus = frame.status;
        return;
      case 'msg':
        this.#view.deliver(frame.data);
        return;
    }
  }

  /**
   * Writes a frame; `done` gets null once it is on the channel, or the error
   * that stopped it. Returns the bytes queued (0 when none were).
   */
  #post(frame: object, call: string, done: (error: Error | null) => void): number {
    if (this.#exited || this.#killed || !this.#channel.open) {
      done(this.#gone(call));
      return 0;
    }
    return this.#channel.send(frame, (error) => {
      if (error === null) done(null);
      else if (error instanceof TypeError || error instanceof RangeError) {
        done(refusedFrame(call, this.#label(), 'child', error));
      } else done(this.#gone(call, error));
    });
  }

  #write(frame: object, call: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#post(frame, call, (error) => (error === null ? resolve() : reject(error)));
    });
  }

  #gone(call: string, cause?: Error): ThreadStateError {
    const why = this.#exited
      ? `exited (${describeExit(this.exitReason ?? 'exit', this.exitCode, this.signalCode)})`
      : 'is disconnecting';
    return new ThreadStateError(
      `${call} of ${this.#label()} could not complete: the thread ${why}. Check isAlive() before calling.`,
      cause === undefined ? undefined : { cause },
    );
  }

  /** A change made on the host's side, to mirror in the child. */
  sendPatch(patch: StatePatch): void {
    if (patch.name !== undefined) this.#hostName = patch.name;
    if (this.#exited || !this.#channel.open) return;
    // A patch that cannot be delivered has nobody left to apply it.
    this.#post({ t: 'set', ...patch }, 'thread state change', () => undefined);
  }

  send(data: unknown): Promise<void> {
    return this.#write({ t: 'msg', data }, 'send()');
  }

  getStatus(flavor: string | undefined, timeout: number): Promise<unknown> {
    if (this.#exited) return Promise.resolve(this.#lastStatus);
    const body = flavor === undefined ? { kind: 'status' as const } : { kind: 'status' as const, flavor };
    // Kept as the answer arrives, in frame order: a `finished` frame after it has the last word.
    return this.#exchange.request('getStatus()', timeout, 'status() is slow', body, (value) => {
      this.#lastStatus = value;
      return undefined;
    });
  }

  /** Calls the thread's method `method` (a Plugin's typed call); resolves with its raw answer. */
  call(method: string, input: unknown, timeout: number): Promise<unknown> {
    return this.#exchange.request(`call("${method}")`, timeout, 'the method is slow', { kind: 'call', method, input });
  }

  /** Resolves with the child's memory once its event loop answers. */
  async ping(timeout: number): Promise<Pong> {
    const pong = (await this.#exchange.request(
      'ping',
      timeout,
      'the loop is busy by design',
      { kind: 'ping' },
      (value) => {
        const parsed = pongValue.safeParse(value);
        return parsed.success ? undefined : `value: ${describeIssues(parsed.error)}`;
      },
    )) as Pong;
    const rss = this.pid === undefined ? undefined : await residentBytes(this.pid);
    return rss === undefined ? pong : { rss, heapUsed: pong.heapUsed };
  }

  signal(signal: NodeJS.Signals): void {
    if (this.#exited) return;
    if (signal === 'SIGKILL') this.#killed = true;
    this.#child.kill(signal);
  }

  stop(timeout: number, grace: number): Promise<StopResult> {
    this.#stopping ??= this.#held(this.#escalate(timeout, grace));
    return this.#stopping;
  }

  async #escalate(timeout: number, grace: number): Promise<StopResult> {
    let forced = false;
    this.sendPatch({ active: false });
    if (!(await this.#waitExit(timeout))) {
      forced = true;
      this.signal('SIGTERM');
      if (!(await this.#waitExit(grace))) {
        this.signal('SIGKILL');
        await this.#exit.promise;
      }
    }
    return { forced, exitCode: this.exitCode, signalCode: this.signalCode };
  }

  async join(timeout: number | undefined): Promise<void> {
    await this.#held<unknown>(timeout === undefined ? this.#exit.promise : this.#waitExit(timeout));
  }

  /** Resolves true at exit, false after `ms`; leaves no timer or waiter behind either way. */
  #waitExit(ms: number): Promise<boolean> {
    if (this.#exited) return Promise.resolve(true);
    return new Promise((resolve) => {
      const onExit = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.#exitWaiters.delete(onExit);
        resolve(false);
      }, ms);
      this.#exitWaiters.add(onExit);
    });
  }

  #onExit(exitCode: number | null, signalCode: NodeJS.Signals | null): void {
    if (this.#exited) return;
    this.#exited = true;
    clearTimeout(this.#exitDeadline);
    if (this.pid !== undefined) unwatchChild(this.pid);
    this.exitCode = exitCode;
    this.signalCode = signalCode;
    this.exitReason = classifyExit(exitCode, signalCode, this.#outOfMemory, this.#misbehaved);
    this.#exchange.rejectAll((call) => this.#gone(call));
    if (!this.#begun) {
      const cause = this.#startError;
      const said = this.#startOutput.text();
      this.#startOutput.stop();
      const what =
        cause === undefined
          ? `the child ended (${describeExit(this.exitReason, exitCode, signalCode)}) before run() began`
          : `the child could not start the thread from ${this.#module}: ${cause.name}: ${cause.message.replace(/\.$/, '')}`;
      const stderr = said === '' ? '' : `\nIts stderr ended with:\n  ${said.replaceAll('\n', '\n  ')}`;
      this.#start.reject(new ThreadStartError(`start() of ${this.#label()}: ${what}.${stderr}`, { cause }));
    }
    for (const waiter of this.#exitWaiters) waiter();
    this.#exitWaiters.clear();
    this.#exit.resolve();
    this.#view.exited(exitCode, signalCode);
  }
}
