import { deferred } from '../deferred.js';
import { ProtocolError, ThreadStateError } from '../errors.js';
import type { FrameChannel } from '../protocol/channel.js';
import type { StatePatch } from '../thread-state.js';
import type { HostView, StopResult } from '../view.js';
import type { HostChannelStream } from './channel-stream.js';
import { ChildFrames } from './child-frames.js';
import { Ending } from './ending.js';
import { HostExchange } from './exchange.js';
import { describeExit, type ExitReason } from './exit-reason.js';
import { ExitWait } from './exit-wait.js';
import { HeldBytes } from './held-bytes.js';
import { Holds } from './holds.js';
import { type KeptStatus, keepStatus, keptValue } from './kept-status.js';
import { initFrame, type LaunchPlan, launch, replaceSpareAfter } from './launch.js';
import { beforeRun, type LifeEvent, type LifeState, nextLife, stopRequested } from './life.js';
import { ChildLink } from './link.js';
import { type Pong, ping } from './ping.js';
import { type Child, setChildRef, signalTree } from './spawn.js';
import { startError } from './start-error.js';
import type { StderrTail } from './stderr-tail.js';
import { escalate } from './stop.js';
import { unwatchChild } from './watcher.js';

export type { HostHooks, ModuleSpec } from './launch.js';
export type { Pong } from './ping.js';

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
  readonly #channel: FrameChannel<HostChannelStream>;
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
  readonly #frames: ChildFrames;
  readonly #link: ChildLink;
  readonly #holds = new Holds((held) => {
    if (this.#life !== 'exited') setChildRef(this.#child, this.#channel.socket, !this.#daemon || held);
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

  constructor(view: HostView, plan: LaunchPlan) {
    this.#view = view;
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
      invalid: (problem) => this.#frames.invalid(problem),
      misbehave: (problem) => this.#misbehave(problem),
    });
    this.#frames = new ChildFrames({
      view,
      exchange: this.#exchange,
      label: () => this.#label(),
      started: () => {
        this.#advance('started');
        this.#startOutput.stop();
        this.#start.resolve();
      },
      startFailed: (error) => this.#failStart(error),
      stopRequested: () => stopRequested(this.#life),
      finished: (status) => {
        this.#keep(status);
      },
      misbehave: (problem) => this.#misbehave(problem),
    });
    const { stopTimeout } = plan.process;
    const launched = launch(plan, state.name, {
      name: () => this.#hostName,
      onOutOfMemory: () => this.#ending.claim({ by: 'out-of-memory' }),
      onError: (error) => this.#failStart(error),
      onExit: (code, signal) => this.#onExit(code, signal),
      onFrame: (frame, bytes) => this.#frames.frame(frame, bytes),
      onHeld: (bytes) => this.#held.add('a frame being received', bytes),
      onInvalid: (problem) => this.#frames.invalid(problem),
      // A child whose channel is over must exit: it would otherwise live on
      // past every check that needs the channel (health pings, maxRssMb).
      onClose: () => this.#expectExit('closed its channel', stopTimeout),
      onBye: () => this.#expectExit("said 'bye'", stopTimeout),
    });
    this.#child = launched.child;
    this.#channel = launched.channel;
    this.#startOutput = launched.startOutput;
    this.#link = new ChildLink({
      channel: this.#channel,
      label: () => this.#label(),
      over: () => this.#life === 'exited' || this.#ending.killSent,
      exited: () =>
        this.#life === 'exited' ? describeExit(this.exitReason ?? 'exit', this.exitCode, this.signalCode) : undefined,
    });
    this.pid = this.#child.pid;
    this.started = this.#holds.around(this.#start.promise);
    if (launched.spareTaken) replaceSpareAfter(this.started, plan.process);
    this.#link.write(initFrame(plan, state), 'start()').catch((error: Error) => {
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
    if (this.#life === 'exited') return;
    if (this.#ending.claim({ by: 'misbehaved', problem })) {
      this.#view.report(new ProtocolError(`${this.#label()} ${problem}`));
    }
    signalTree(this.#child, 'SIGKILL');
  }

  /** A change made on the host's side, to mirror in the child. */
  sendPatch(patch: StatePatch): void {
    if (patch.name !== undefined) this.#hostName = patch.name;
    if (this.#life === 'exited' || !this.#channel.open) return;
    // A patch that cannot be delivered has nobody left to apply it.
    this.#link.post({ t: 'set', ...patch }, 'thread state change', () => undefined);
  }

  send(data: unknown): Promise<void> {
    return this.#link.write({ t: 'msg', data }, 'send()');
  }

  getStatus(flavor: string | undefined, timeout: number): Promise<unknown> {
    if (this.#life === 'exited') {
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
  call(method: string, input: unknown, timeout: number): Promise<unknown> {
    return this.#exchange.request(`call("${method}")`, timeout, 'the method is slow', { kind: 'call', method, input });
  }

  /** Resolves with the child's memory once its event loop answers. */
  ping(timeout: number): Promise<Pong> {
    return ping(this.#exchange, this.pid, timeout);
  }

  signal(signal: NodeJS.Signals): void {
    if (this.#life === 'exited') return;
    if (signal === 'SIGKILL') this.#ending.claim({ by: 'killed' });
    signalTree(this.#child, signal);
  }

  /** The first call stops the thread; later ones share its result. */
  stop(timeout: number, grace: number): Promise<StopResult> {
    if (this.#stopping === undefined) {
      this.#advance('stop');
      this.#stopping = this.#holds.around(
        escalate(
          {
            exit: this.#exit,
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
    await this.#holds.around<unknown>(forever ? this.#exit.promise : this.#exit.within(timeout));
  }

  #onExit(exitCode: number | null, signalCode: NodeJS.Signals | null): void {
    const was = this.#advance('exit');
    if (was === 'exited') return;
    if (this.pid !== undefined) unwatchChild(this.pid);
    this.exitCode = exitCode;
    this.signalCode = signalCode;
    this.exitReason = this.#ending.exited(exitCode, signalCode);
    this.#held.clear();
    this.#exchange.rejectAll((call) => this.#link.gone(call));
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
