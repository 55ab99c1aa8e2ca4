import { deferred } from '../deferred.js';
import { ProtocolError, ThreadStateError } from '../errors.js';
import type { FrameChannel } from '../protocol/channel.js';
import type { ExitReason } from '../thread-model.js';
import type { StatePatch } from '../thread-state.js';
import type { HostView, StopResult } from '../view.js';
import type { HostChannelStream } from './channel-stream.js';
import { ChildFrames } from './child-frames.js';
import { Ending } from './ending.js';
import { HostExchange } from './exchange.js';
import { describeExit } from './exit-reason.js';
import { HeldBytes } from './held-bytes.js';
import { Holds } from './holds.js';
import { type KeptStatus, keepStatus, keptValue } from './kept-status.js';
import { initFrame, type LaunchPlan, launch, replaceSpareAfter } from './launch.js';
import { beforeRun, stopRequested, type ThreadLife } from './life.js';
import { ChildLink } from './link.js';
import { type Pong, ping } from './ping.js';
import { unwatchChild } from './process-wide/watcher.js';
import { type Child, setChildRef, signalTree } from './spawn.js';
import { startError } from './start-error.js';
import type { StderrTail } from './stderr-tail.js';
import { escalate } from './stop.js';

export type { HostHooks } from './launch.js';
export type { Pong } from './ping.js';

/**
 * The host's side of one thread's child: owns the process, validates every
 * frame the child sends, and answers the public JailThread's calls. It has no
 * state of its own: it moves the thread's one life (see ThreadLife).
 */
export class HostController {
  /** Resolves once `run()` has begun; rejects with ThreadStartError, once the child is gone. */
  readonly started: Promise<void>;
  exitCode: number | null = null;
  signalCode: NodeJS.Signals | null = null;
  exitReason: ExitReason | null = null;

  readonly #view: HostView;
  readonly #plan: LaunchPlan;
  /**
   * The child, its channel and what it wrote before run(): replaced once, by
   * a cold fork, if a spare taken for the start dies before it had its init
   * frame (see #attach); their events are the current child's only.
   */
  #child!: Child;
  #channel!: FrameChannel<HostChannelStream>;
  #generation = 0;
  /** A spare was taken and has not yet said it has its init frame. */
  #adopting = false;
  readonly #exchange: HostExchange;
  readonly #daemon: boolean;
  /** Named in start errors: V8's syntax errors do not say which file they are in. */
  readonly #module: string;
  readonly #start = deferred<void>();
  /** The thread's one life, shared with its public handle. */
  readonly #life: ThreadLife;
  /** Which way of ending the child won, and the deadline for one whose channel is over. */
  readonly #ending: Ending;
  /** Kills a child whose run() has not begun within startTimeout. */
  #startDeadline: NodeJS.Timeout | undefined;
  /** What the child wrote to stderr before run() began: the only word from a child that dies before it can send one. */
  #startOutput!: StderrTail;
  readonly #frames: ChildFrames;
  #link!: ChildLink;
  readonly #holds = new Holds((held) => {
    if (this.#life.state !== 'exited') setChildRef(this.#child, this.#channel.socket, !this.#daemon || held);
  });
  #lastStatus: KeptStatus = { value: undefined, bytes: 0 };
  /** Every byte the host holds for this child, against its budget. */
  readonly #held: HeldBytes;
  /**
   * The thread's name as the host gave it: output prefixes come from here, not
   * from the mirrored name, which the child may change to pass for another thread.
   */
  #hostName: string;
  #stopping: Promise<StopResult> | undefined;

  constructor(view: HostView, plan: LaunchPlan, life: ThreadLife) {
    this.#view = view;
    this.#plan = plan;
    this.#life = life;
    this.#ending = new Ending(() => life.state === 'exited');
    const state = plan.state();
    this.#daemon = state.daemon;
    this.#module = plan.spec.module;
    this.#hostName = state.name;
    this.#held = new HeldBytes(plan.process.maxHeldBytes, (problem) => this.#misbehave(problem));
    this.#exchange = new HostExchange({
      held: this.#held,
      label: () => this.#label(),
      post: (frame, call, done) => this.#link.post(frame, call, done),
      serve: plan.hooks.serve,
      published: plan.hooks.onEvent,
      invalid: (problem) => this.#frames.invalid(problem),
      misbehave: (problem) => this.#misbehave(problem),
    });
    this.#frames = new ChildFrames({
      view,
      exchange: this.#exchange,
      label: () => this.#label(),
      adopted: () => {
        this.#adopting = false;
      },
      started: () => {
        this.#life.advance('started');
        clearTimeout(this.#startDeadline);
        this.#startOutput.stop();
        this.#start.resolve();
      },
      startFailed: (error) => this.#failStart(error),
      stopRequested: () => stopRequested(this.#life.state),
      finished: (status) => {
        this.#keep(status);
      },
      misbehave: (problem) => this.#misbehave(problem),
    });
    const spareTaken = this.#attach(false);
    this.started = this.#holds.around(this.#start.promise);
    if (spareTaken) replaceSpareAfter(this.started, plan.process);
    // Checked to fit a timer where it was given (checkDuration). Unref'd: while the start is pending,
    // its hold on the child keeps the host alive.
    const { startTimeout } = plan.process;
    this.#startDeadline = setTimeout(() => this.#startTimedOut(startTimeout), startTimeout).unref();
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  /**
   * Gets the thread a child (a spare, unless `cold`), wires its events and
   * sends it the init frame; true if a spare was taken. Events of a child
   * this one replaced are ignored.
   */
  #attach(cold: boolean): boolean {
    const generation = ++this.#generation;
    const current = () => generation === this.#generation;
    const plan = this.#plan;
    const state = plan.state();
    const { stopTimeout } = plan.process;
    const launched = launch(
      plan,
      state.name,
      {
        name: () => this.#hostName,
        onOutOfMemory: () => current() && this.#ending.claim({ by: 'out-of-memory' }),
        onError: (error) => current() && this.#failStart(error),
        onExit: (code, signal) => current() && this.#onExit(code, signal),
        onFrame: (frame, bytes) => current() && this.#frames.frame(frame, bytes),
        onHeld: (bytes) => current() && this.#held.add('a frame being received', bytes),
        onInvalid: (problem) => current() && this.#frames.invalid(problem),
        // A child whose channel is over must exit: it would otherwise live on
        // past every check that needs the channel (health pings, maxRssMb).
        onClose: () => current() && this.#expectExit('closed its channel', stopTimeout),
        onBye: () => current() && this.#expectExit("said 'bye'", stopTimeout),
      },
      cold,
    );
    this.#child = launched.child;
    this.#channel = launched.channel;
    this.#startOutput = launched.startOutput;
    this.#adopting = launched.spareTaken;
    this.#link = new ChildLink({
      channel: this.#channel,
      label: () => this.#label(),
      over: () => this.#life.state === 'exited' || this.#ending.killSent,
      exited: () =>
        this.#life.state === 'exited'
          ? describeExit(this.exitReason ?? 'exit', this.exitCode, this.signalCode)
          : undefined,
    });
    this.#link.write(initFrame(plan, state), 'start()').catch((error: Error) => {
      if (!current()) return;
      // A child already gone says why itself, by its exit and its stderr (or, a spare that had not
      // taken its init frame, by being replaced); only a frame the channel refused is the start's own error.
      if (error instanceof ThreadStateError && this.#adopting) return;
      if (!(error instanceof ThreadStateError)) this.#failStart(error);
      this.signal('SIGKILL');
    });
    return launched.spareTaken;
  }

  /** An error that means the start failed, if run() has not begun; one after that starts nothing. */
  #failStart(error: Error): void {
    if (beforeRun(this.#life.state)) this.#ending.claim({ by: 'start-failed', error });
  }

  /** run() has not begun within startTimeout: whatever the module is doing while it loads, the child is killed. */
  #startTimedOut(ms: number): void {
    if (!beforeRun(this.#life.state)) return;
    this.#ending.claim({ by: 'start-timeout', ms });
    signalTree(this.#child, 'SIGKILL');
  }

  /** Names the thread by the host's name for it: a child can rename itself, and must not pass for another. */
  #label(): string {
    return `thread "${this.#hostName}" (pid ${this.pid ?? 'none'})`;
  }

  #expectExit(what: string, ms: number): void {
    this.#ending.expectExit(ms, () => this.#misbehave(`${what} but had not exited ${ms} ms later; it was killed.`));
  }

  /**
   * Ends a child that broke the protocol or a bound: killed every time, and
   * reported once, with a ProtocolError saying which, when this is what ends it.
   */
  #misbehave(problem: string): void {
    if (this.#life.state === 'exited') return;
    if (this.#ending.claim({ by: 'misbehaved', problem })) {
      this.#view.report(new ProtocolError(`${this.#label()} ${problem}`));
    }
    signalTree(this.#child, 'SIGKILL');
  }

  /** A change made on the host's side, to mirror in the child. */
  sendPatch(patch: StatePatch): void {
    if (patch.name !== undefined) this.#hostName = patch.name;
    if (this.#life.state === 'exited' || !this.#channel.open) return;
    // A patch that cannot be delivered has nobody left to apply it.
    this.#link.post({ t: 'set', ...patch }, 'thread state change', () => undefined);
  }

  send(data: unknown): Promise<void> {
    return this.#link.write({ t: 'msg', data }, 'send()');
  }

  getStatus(flavor: string | undefined, timeout: number): Promise<unknown> {
    if (this.#life.state === 'exited') {
      const kept = this.#lastStatus;
      return new Promise((resolve) => resolve(keptValue(kept)));
    }
    const body = flavor === undefined ? { kind: 'status' as const } : { kind: 'status' as const, flavor };
    let kept: KeptStatus | undefined;
    // Kept as the answer arrives, in frame order: a `finished` frame after it has the last word.
    return this.#exchange
      .request('getStatus()', timeout, 'status() is slow', body, (value) => {
        kept = this.#keep(value);
        return undefined;
      })
      .then(() => keptValue(kept as KeptStatus));
  }

  /** Measures a status before keeping it, and counts it against the child's budget. */
  #keep(value: unknown): KeptStatus {
    const kept = keepStatus(value, this.#label());
    this.#held.add('its status', kept.bytes - this.#lastStatus.bytes);
    this.#lastStatus = kept;
    return kept;
  }

  /** Calls the thread's method `method` (a Plugin's typed call); resolves with its raw answer. */
  call(method: string, input: unknown, timeout: number, signal?: AbortSignal): Promise<unknown> {
    const body = { kind: 'call', method, input } as const;
    return this.#exchange.request(`call("${method}")`, timeout, 'the method is slow', body, undefined, signal);
  }

  /** Opens the thread's stream method `method` (a Plugin's `host.stream()`): its raw items, read by credit. */
  stream(
    method: string,
    input: unknown,
    options: { highWaterMark: number; timeout: number; signal: AbortSignal | undefined },
  ): AsyncIterator<unknown> {
    return this.#exchange.stream(method, input, options);
  }

  /** Resolves with the child's memory once its event loop answers. */
  ping(timeout: number): Promise<Pong> {
    return ping(this.#exchange, this.pid, timeout);
  }

  signal(signal: NodeJS.Signals): void {
    if (this.#life.state === 'exited') return;
    if (signal === 'SIGKILL') this.#ending.claim({ by: 'killed' });
    signalTree(this.#child, signal);
  }

  /**
   * The first call stops the thread (its life is stopping or cancelling
   * already: the handle moved it); later ones share its result. Before run()
   * has begun as after, whatever the module does while it loads.
   */
  stop(timeout: number, grace: number): Promise<StopResult> {
    if (this.#stopping === undefined) {
      this.#stopping = this.#holds.around(
        escalate(
          {
            life: this.#life,
            ask: () => this.sendPatch({ active: false }),
            signal: (signal) => this.signal(signal),
            result: () => ({ exitCode: this.exitCode, signalCode: this.signalCode }),
          },
          timeout,
          grace,
        ),
      );
    }
    return this.#stopping;
  }

  async join(timeout: number | undefined): Promise<void> {
    const forever = timeout === undefined || timeout === Number.POSITIVE_INFINITY;
    await this.#holds.around<unknown>(forever ? this.#life.exit : this.#life.exitWithin(timeout));
  }

  #onExit(exitCode: number | null, signalCode: NodeJS.Signals | null): void {
    if (this.#life.state === 'exited') return;
    if (this.pid !== undefined) unwatchChild(this.pid);
    if (this.#adopting && this.#ending.unclaimed && !stopRequested(this.#life.state)) {
      // A spare that died before it had its init frame (killed from outside, or by its pool as it was
      // taken) was lost, not the thread's start: the start forks cold instead.
      this.#startOutput.stop();
      // What the lost spare's channel was reassembling is not held any more.
      this.#held.clear();
      try {
        this.#attach(true);
        return;
      } catch (error) {
        // No process could be forked (no file descriptors left): that is the start's failure.
        this.#ending.claim({ by: 'start-failed', error: error as Error });
      }
    }
    clearTimeout(this.#startDeadline);
    this.exitCode = exitCode;
    this.signalCode = signalCode;
    this.exitReason = this.#ending.exited(exitCode, signalCode);
    const was = this.#life.advance('exit');
    // Streams ended first: they let go of their unread items before the count is dropped.
    this.#exchange.rejectAll((call) => this.#link.gone(call));
    this.#held.clear();
    if (beforeRun(was)) {
      const stderr = this.#startOutput.text();
      this.#startOutput.stop();
      this.#start.reject(
        startError({
          label: this.#label(),
          module: this.#module,
          cause: this.#ending.startError,
          timedOut: this.#ending.startTimedOut,
          stopped: was === 'cancelling',
          stderr,
          reason: this.exitReason,
          exitCode,
          signalCode,
        }),
      );
    }
    this.#view.exited(exitCode, signalCode);
  }
}
