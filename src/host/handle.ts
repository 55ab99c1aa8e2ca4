import { ThreadStateError } from '../errors.js';
import {
  checkProcessOptions,
  checkTimeout,
  DEFAULT_CALL_TIMEOUT,
  DEFAULT_KILL_GRACE,
  type JailThreadOptions,
  notStarted,
  type ProcessOptions,
  startedTwice,
} from '../options.js';
import { reportThreadError } from '../report.js';
import { applyPatch, type Mirror, type Owner, type ThreadSide } from '../side.js';
import type { ThreadConfig } from '../thread-config.js';
import type { StatePatch } from '../thread-state.js';
import type { CallOptions, StopOptions } from '../thread-types.js';
import type { HostView, StopResult } from '../view.js';
import type { HostController, HostHooks, ModuleSpec } from './controller.js';
import type { ExitReason } from './exit-reason.js';
import { loadHostModules } from './host-modules.js';

type Phase = 'new' | 'starting' | 'alive' | 'exited';

/** How a plugin host sets up a thread it supervises, beyond the public options. */
export interface Supervision {
  hooks: HostHooks;
  /** Pass only `env` to the child, none of the host's environment. */
  isolateEnv: boolean;
  /** Hand the output to `hooks.onLine` rather than the host's streams. */
  captureOutput: boolean;
  /** Names the plugin's own pool of spares. */
  pool: string;
}

// The library's own way from a public thread to its handle (the supervisor's):
// weak, so a handle lives as long as its thread, and in a module the package's
// declarations do not reach, so it is no part of the API.
const handles = new WeakMap<object, HostHandle>();

/** The host-side handle of `thread`, or undefined for a thread's own instance in its child. */
export const handleOf = (thread: object): HostHandle | undefined => handles.get(thread);

/** `JailThread.prewarm()`: its arguments checked, and the pool of spares loaded only when asked for. */
export async function prewarm(count: number, options: JailThreadOptions): Promise<void> {
  if (!Number.isInteger(count) || count < 0) {
    throw new RangeError(`JailThread.prewarm(count): count must be a whole number >= 0, got ${String(count)}.`);
  }
  const checked = checkProcessOptions(options, 'prewarm');
  const spares = await import('./spares.js');
  await spares.prewarm(count, checked);
}

/**
 * The host's side of a thread: its life from `start()` to the child's exit,
 * in one phase with one setter, and the controller that forks and talks to
 * the child, loaded only when the thread starts.
 */
export class HostHandle implements ThreadSide {
  readonly state: Mirror;
  /** Settable only before start(): the public setter checks. */
  daemon: boolean;
  readonly #owner: Owner;
  readonly #config: ThreadConfig;
  #phase: Phase = 'new';
  #hooks: HostHooks = {};
  #host: HostController | undefined;
  #starting: Promise<unknown> | undefined;
  /** A terminate() or kill() that came while the child was being forked. */
  #signalOnFork: NodeJS.Signals | undefined;

  constructor(owner: Owner, config: ThreadConfig) {
    this.#owner = owner;
    this.state = { name: config.name, idle: config.idle, sleeptime: config.sleeptime, active: null };
    this.daemon = config.daemon;
    this.#config = config;
    handles.set(owner, this);
  }

  /** Sets up a thread a plugin host supervises; before `start()`. */
  supervise({ hooks, isolateEnv, captureOutput, pool }: Supervision): void {
    this.#hooks = hooks;
    this.#config.process = {
      ...this.#config.process,
      extendEnv: !isolateEnv,
      ...(captureOutput ? { output: 'lines' as const } : {}),
      pool,
    };
  }

  /** How the child is forked, supervision included: what its spares must match. */
  get processOptions(): ProcessOptions {
    return this.#config.process;
  }

  /** The controller of the child, once `start()` has created it. */
  get controller(): HostController | undefined {
    return this.#host;
  }

  get started(): boolean {
    return this.#phase !== 'new';
  }
  get pid(): number | undefined {
    return this.#host?.pid;
  }
  get exitCode(): number | null {
    return this.#host?.exitCode ?? null;
  }
  get signalCode(): NodeJS.Signals | null {
    return this.#host?.signalCode ?? null;
  }
  get exitReason(): ExitReason | null {
    return this.#host?.exitReason ?? null;
  }

  isAlive(): boolean {
    return this.#phase === 'starting' || this.#phase === 'alive';
  }

  set(patch: StatePatch): void {
    applyPatch(this.state, patch);
    this.#host?.sendPatch(patch);
  }

  async sleep(): Promise<void> {
    throw new ThreadStateError(
      `sleep() of thread "${this.state.name}": sleep() pauses run() inside the thread's own process; the host's handle has no loop to pause.`,
    );
  }

  async start(spec: () => ModuleSpec): Promise<void> {
    if (this.#phase !== 'new') throw startedTwice(this.state.name);
    const resolved = spec();
    this.#setPhase('starting');
    this.state.active = true;
    const started = this.#launch(resolved);
    this.#starting = started.catch(() => undefined);
    await started;
  }

  async #launch(spec: ModuleSpec): Promise<void> {
    try {
      const [{ HostController }] = await Promise.all([import('./controller.js'), loadHostModules()]);
      const { options, args, process } = this.#config;
      this.#host = new HostController(this.#view(), {
        spec,
        options,
        args,
        process,
        hooks: this.#hooks,
        state: () => ({
          name: this.state.name,
          daemon: this.daemon,
          idle: this.state.idle,
          sleeptime: this.state.sleeptime,
          active: this.state.active !== false,
        }),
      });
      if (this.#signalOnFork !== undefined) this.#host.signal(this.#signalOnFork);
      await this.#host.started;
      if (this.#phase === 'starting') this.#setPhase('alive');
    } catch (error) {
      this.#setPhase('exited');
      throw error;
    }
  }

  async stop(options: StopOptions): Promise<StopResult> {
    const name = this.state.name;
    const timeout =
      checkTimeout(options.timeout, 'stop({ timeout })', name, 'finite') ?? this.#config.process.stopTimeout;
    const grace = checkTimeout(options.grace, 'stop({ grace })', name, 'finite') ?? DEFAULT_KILL_GRACE;
    const host = await this.#settled('stop()');
    if (host === undefined) return { forced: false, exitCode: null, signalCode: null };
    this.state.active = false;
    return host.stop(timeout, grace);
  }

  async join(timeout: number | undefined): Promise<void> {
    const ms = checkTimeout(timeout, 'join(timeout)', this.state.name);
    const host = await this.#settled('join()');
    await host?.join(ms);
  }

  /** Not async: once the controller exists this is a hot path, straight to it. */
  getStatus(flavor: string | undefined, options: CallOptions): Promise<unknown> {
    const timeout =
      checkTimeout(options.timeout, 'getStatus(flavor, { timeout })', this.state.name) ?? DEFAULT_CALL_TIMEOUT;
    if (this.#host !== undefined) return this.#host.getStatus(flavor, timeout);
    return this.#settled('getStatus()').then((host) => host?.getStatus(flavor, timeout));
  }

  /** Not async: bursts of sends are a hot path, and a channel's own promise is returned as it is. */
  send(data: unknown): Promise<void> {
    if (this.#host !== undefined) return this.#host.send(data);
    return this.#sendOnceStarted(data);
  }

  async #sendOnceStarted(data: unknown): Promise<void> {
    const host = await this.#settled('send()');
    if (host === undefined)
      throw new ThreadStateError(`send() of thread "${this.state.name}": the thread never started.`);
    return host.send(data);
  }

  signal(call: string, signal: NodeJS.Signals): void {
    if (this.#phase === 'new') throw notStarted(call, this.state.name);
    if (this.#host === undefined) {
      // Still being forked: a supervisor that gives up on a start must be able to end it at any moment.
      if (this.#phase === 'starting' && this.#signalOnFork !== 'SIGKILL') this.#signalOnFork = signal;
      return;
    }
    this.#host.signal(signal);
  }

  /** The controller once the start has settled; undefined if it failed before one existed. */
  async #settled(call: string): Promise<HostController | undefined> {
    if (this.#phase === 'new') throw notStarted(call, this.state.name);
    await this.#starting;
    return this.#host;
  }

  /** The one setter of the phase: `active` is false from the child's end on. */
  #setPhase(phase: Phase): void {
    this.#phase = phase;
    if (phase === 'exited') this.state.active = false;
  }

  #view(): HostView {
    return {
      name: () => this.state.name,
      apply: (patch) => applyPatch(this.state, patch),
      deliver: (data) => {
        this.#owner.emit('message', data);
      },
      report: (error) => reportThreadError(this.#owner, error, this.state.name, this.pid),
      exited: (exitCode, signalCode) => {
        this.#setPhase('exited');
        this.#owner.emit('exit', exitCode, signalCode);
      },
    };
  }
}
