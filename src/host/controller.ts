import { deferred } from '../deferred.js';
import { ProtocolError, ThreadStateError } from '../errors.js';
import { type FrameChannel, refusedFrame } from '../protocol/channel.js';
import { type ChildMessage, childMessage } from '../protocol/child-message.js';
import { fromErrorData } from '../protocol/error-data.js';
import { pongValue } from '../protocol/frames.js';
import { describeIssues } from '../protocol/issues.js';
import type { StatePatch } from '../thread-state.js';
import type { HostView, StopResult } from '../view.js';
import { Ending } from './ending.js';
import { HostExchange } from './exchange.js';
import { describeExit, type ExitReason } from './exit-reason.js';
import { ExitWait } from './exit-wait.js';
import { initFrame, type LaunchPlan, launch, replaceSpareAfter } from './launch.js';
import { beforeRun, type LifeEvent, type LifeState, nextLife, stopRequested } from './life.js';
import { residentBytes } from './rss.js';
import { type Child, setChildRef } from './spawn.js';
import { startError } from './start-error.js';
import type { StderrTail } from './stderr-tail.js';
import { unwatchChild } from './watcher.js';

export type { HostHooks, LaunchPlan, ModuleSpec } from './launch.js';
export type { LifeState } from './life.js';

/**
 * A health answer. `rss` is measured by the host (`/proc/<pid>/status`) where
 * there is a `/proc`, so limits hold against a child that lies; elsewhere, and
 * for `heapUsed` always, it is the child's own report.
 */
export interface Pong {
  rss: number;
  heapUsed: number;
}

/** Invalid frames reported one by one; at this count the child is killed. */
export const MAX_INVALID_FRAMES = 100;

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
  readonly #channel: FrameChannel;
  readonly #exchange: HostExchange;
  readonly #daemon: boolean;
  /** Named in start errors: V8's syntax errors do not say which file they are in. */
  readonly #module: string;
  readonly #start = deferred<void>();
  readonly #exit = new ExitWait();
  /** The thread's life: changed only by #advance. */
  #life: LifeState = 'starting';
  /** Which way of ending the child won, and the deadline for one whose channel is over. */
  readonly #ending = new Ending();
  /** What the child wrote to stderr before run() began: the only word from a child that dies before it can send one. */
  readonly #startOutput: StderrTail;
  #invalidFrames = 0;
  /** Starts, stops and joins pending: the child is ref'd while there are any. */
  #holds = 0;
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
    this.#daemon = state.daemon;
    this.#module = plan.spec.module;
    this.#hostName = state.name;
    this.#exchange = new HostExchange({
      label: () => this.#label(),
      post: (frame, call, done) => this.#post(frame, call, done),
      serve: plan.hooks.serve,
      invalid: (problem) => this.#invalid(problem),
      misbehave: (problem) => this.#misbehave(problem),
    });
    const { stopTimeout } = plan.process;
    const launched = launch(plan, state.name, {
      name: () => this.#hostName,
      onOutOfMemory: () => this.#ending.claim({ by: 'out-of-memory' }),
      onError: (error) => this.#failStart(error),
      onExit: (code, signal) => this.#onExit(code, signal),
      onFrame: (frame) => this.#onFrame(frame),
      onInvalid: (problem) => this.#invalid(problem),
      // A child whose channel is over must exit: it would otherwise live on
      // past every check that needs the channel (health pings, maxRssMb).
      onClose: () => this.#expectExit('closed its channel', stopTimeout),
      onBye: () => this.#expectExit("said 'bye'", stopTimeout),
    });
    this.#child = launched.child;
    this.#channel = launched.channel;
    this.#startOutput = launched.startOutput;
    this.pid = this.#child.pid;
    this.started = this.#held(this.#start.promise);
    if (launched.spareTaken) replaceSpareAfter(this.started, plan.process);
    this.#write(initFrame(plan, state), 'start()').catch((error: Error) => {
      // A child already gone says why itself, by its exit and its stderr;
      // only a frame the channel refused is the start's own error.
      if (!(error instanceof ThreadStateError)) this.#failStart(error);
      this.signal('SIGKILL');
    });
  }

  /** The one setter of the thread's life. */
  #advance(event: LifeEvent): LifeState {
    const was = this.#life;
    this.#life = nextLife(was, event);
    return was;
  }

  /** An error that means the start failed, if run() has not begun; one after that starts nothing. */
  #failStart(error: Error): void {
    if (beforeRun(this.#life)) this.#ending.claim({ by: 'start-failed', error });
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
    if (this.#life === 'exited') return;
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
    this.#ending.expectExit(ms, () => this.#misbehave(`${what} but had not exited ${ms} ms later; it was killed.`));
  }

  /**
   * Ends a child that broke the protocol or a bound: killed every time, and
   * reported once, with a ProtocolError saying which, when this is what ends it.
   */
  #misbehave(problem: string): void {
    if (this.#life === 'exited') return;
    if (this.#ending.claim({ by: 'misbehaved', problem })) {
      this.#view.report(new ProtocolError(`${this.#label()} ${problem}`));
    }
    this.#child.kill('SIGKILL');
  }

  #dispatch(frame: ChildMessage): void {
    switch (frame.t) {
      case 'ready':
        // A spare's announcement, already answered by adopting it.
        return;
      case 'started':
        this.#advance('started');
        this.#startOutput.stop();
        this.#start.resolve();
        return;
      case 'start-failed':
        this.#failStart(fromErrorData(frame.error));
        return;
      case 'set': {
        const { t: _, ...patch } = frame;
        // Once the host stops the thread, the child cannot make it active again.
        if (stopRequested(this.#life)) delete patch.active;
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
    if (this.#life === 'exited' || this.#ending.killSent || !this.#channel.open) {
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
    const why =
      this.#life === 'exited'
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
    if (this.#life === 'exited' || !this.#channel.open) return;
    // A patch that cannot be delivered has nobody left to apply it.
    this.#post({ t: 'set', ...patch }, 'thread state change', () => undefined);
  }

  send(data: unknown): Promise<void> {
    return this.#write({ t: 'msg', data }, 'send()');
  }

  getStatus(flavor: string | undefined, timeout: number): Promise<unknown> {
    if (this.#life === 'exited') return Promise.resolve(this.#lastStatus);
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
    if (this.#life === 'exited') return;
    if (signal === 'SIGKILL') this.#ending.claim({ by: 'killed' });
    this.#child.kill(signal);
  }

  /** The first call stops the thread; later ones share its result. */
  stop(timeout: number, grace: number): Promise<StopResult> {
    if (this.#stopping === undefined) {
      this.#advance('stop');
      this.#stopping = this.#held(this.#escalate(timeout, grace));
    }
    return this.#stopping;
  }

  async #escalate(timeout: number, grace: number): Promise<StopResult> {
    let forced = false;
    this.sendPatch({ active: false });
    if (!(await this.#exit.within(timeout))) {
      forced = true;
      this.signal('SIGTERM');
      if (!(await this.#exit.within(grace))) {
        this.signal('SIGKILL');
        await this.#exit.promise;
      }
    }
    return { forced, exitCode: this.exitCode, signalCode: this.signalCode };
  }

  async join(timeout: number | undefined): Promise<void> {
    await this.#held<unknown>(timeout === undefined ? this.#exit.promise : this.#exit.within(timeout));
  }

  #onExit(exitCode: number | null, signalCode: NodeJS.Signals | null): void {
    const was = this.#advance('exit');
    if (was === 'exited') return;
    if (this.pid !== undefined) unwatchChild(this.pid);
    this.exitCode = exitCode;
    this.signalCode = signalCode;
    this.exitReason = this.#ending.exited(exitCode, signalCode);
    this.#exchange.rejectAll((call) => this.#gone(call));
    if (beforeRun(was)) {
      const stderr = this.#startOutput.text();
      this.#startOutput.stop();
      this.#start.reject(
        startError({
          label: this.#label(),
          module: this.#module,
          cause: this.#ending.startError,
          stderr,
          reason: this.exitReason,
          exitCode,
          signalCode,
        }),
      );
    }
    this.#exit.settle();
    this.#view.exited(exitCode, signalCode);
  }
}
