import { deferred } from '../deferred.js';
import { ThreadStateError } from '../errors.js';
import type { ProcessOptions } from '../options.js';
import { applyPatch, type Mirror } from '../side.js';
import type { ThreadConfig } from '../thread-config.js';
import type { ExitReason, ModuleSpec } from '../thread-model.js';
import type { StatePatch } from '../thread-state.js';
import type { StopResult } from '../view.js';
import type { HostController, HostHooks, Pong } from './controller.js';
import { type LifeState, ThreadLife } from './life.js';
import { loadHostModules } from './process-wide/host-modules.js';

/** Where a port's news goes: the public JailThread's events, or a plugin's supervisor. */
export interface PortEvents {
  /** A user message from the child. */
  deliver(data: unknown): void;
  /** An error of the thread's (a run() error, a broken protocol). */
  report(error: Error, pid: number | undefined): void;
  /** The child has exited; the port's life is `exited`. */
  exited(exitCode: number | null, signalCode: NodeJS.Signals | null): void;
}

/**
 * The host's private core of one thread: its one life from `start()` to the
 * child's exit (ThreadLife, shared with the controller, which moves it as the
 * child does), the mirrored state, and the controller that forks and talks to
 * the child, loaded only when the thread starts. Unpublished: the public
 * JailThread (through its host handle, which validates the user's
 * arguments) and a plugin host's supervisor both stand on it, and its
 * arguments arrive checked.
 */
export class ThreadPort {
  readonly state: Mirror;
  /** Settable only before start(): callers check. */
  daemon: boolean;
  readonly #config: ThreadConfig;
  readonly #events: PortEvents;
  readonly #hooks: HostHooks;
  readonly #life = new ThreadLife((state) => {
    // `active` is false from the child's end on.
    if (state === 'exited') this.state.active = false;
  });
  #controller: HostController | undefined;
  /** Settles once the start has: run() began, or the start failed. */
  #starting: Promise<unknown> | undefined;
  /** Settles once a child exists (the controller), or with undefined once none can. */
  #forked: Promise<HostController | undefined> | undefined;
  /** A terminate() or kill() that came while the child was being forked. */
  #signalOnFork: NodeJS.Signals | undefined;

  /** @param hooks what a plugin host adds: host functions the child may call, its output line by line */
  constructor(config: ThreadConfig, events: PortEvents, hooks: HostHooks = {}) {
    this.state = { name: config.name, idle: config.idle, sleeptime: config.sleeptime, active: null };
    this.daemon = config.daemon;
    this.#config = config;
    this.#events = events;
    this.#hooks = hooks;
  }

  /** How the child is forked: what its spares must match. */
  get processOptions(): ProcessOptions {
    return this.#config.process;
  }

  get life(): LifeState {
    return this.#life.state;
  }
  /** Resolves at the child's exit (or once a start that made no child has failed). */
  get exited(): Promise<void> {
    return this.#life.exit;
  }
  get started(): boolean {
    return this.#life.state !== 'new';
  }
  get pid(): number | undefined {
    return this.#controller?.pid;
  }
  get exitCode(): number | null {
    return this.#controller?.exitCode ?? null;
  }
  get signalCode(): NodeJS.Signals | null {
    return this.#controller?.signalCode ?? null;
  }
  get exitReason(): ExitReason | null {
    return this.#controller?.exitReason ?? null;
  }

  isAlive(): boolean {
    const { state } = this.#life;
    return state !== 'new' && state !== 'exited';
  }

  set(patch: StatePatch): void {
    applyPatch(this.state, patch);
    this.#controller?.sendPatch(patch);
  }

  /** Starts the thread once; a second call throws ThreadStateError (`startedTwice` is the caller's message). */
  async start(spec: ModuleSpec): Promise<void> {
    if (this.#life.state !== 'new')
      throw new ThreadStateError(`start() of thread "${this.state.name}": started twice.`);
    this.#life.advance('start');
    this.state.active = true;
    const forked = deferred<HostController | undefined>();
    this.#forked = forked.promise;
    const started = this.#launch(spec, forked.resolve);
    this.#starting = started.catch(() => undefined);
    await started;
  }

  async #launch(spec: ModuleSpec, forked: (controller: HostController | undefined) => void): Promise<void> {
    try {
      const [{ HostController }] = await Promise.all([import('./controller.js'), loadHostModules()]);
      const { options, args, process } = this.#config;
      const controller = new HostController(
        {
          name: () => this.state.name,
          apply: (patch) => applyPatch(this.state, patch),
          deliver: (data) => this.#events.deliver(data),
          report: (error) => this.#events.report(error, this.pid),
          exited: (exitCode, signalCode) => this.#events.exited(exitCode, signalCode),
        },
        {
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
        },
        this.#life,
      );
      this.#controller = controller;
      this.#life.advance('forked');
      forked(controller);
      if (this.#signalOnFork !== undefined) controller.signal(this.#signalOnFork);
      await controller.started;
    } catch (error) {
      // No child was made (the host's modules did not load, or no process could be forked).
      if (this.#controller === undefined) {
        this.#life.advance('exit');
        forked(undefined);
      }
      throw error;
    }
  }

  /**
   * Stops the thread: `active = false`, then SIGTERM after `timeout` and
   * SIGKILL after `grace`. Before the child exists, this reaches it with its
   * init frame; after, as a frame it gets at once. Never waits for the start:
   * a module that never finishes loading must not hold a stop back.
   */
  async stop(timeout: number, grace: number): Promise<StopResult> {
    const forked = this.#whenForked();
    this.state.active = false;
    this.#life.advance('stop');
    const controller = await forked;
    if (controller === undefined) return { forced: false, exitCode: null, signalCode: null };
    return controller.stop(timeout, grace);
  }

  /** Resolves at the exit, or after `timeout` ms; like stop(), never waits for the start. */
  async join(timeout: number | undefined): Promise<void> {
    const controller = await this.#whenForked();
    await controller?.join(timeout);
  }

  /** Not async: once the controller exists this is a hot path, straight to it. */
  getStatus(flavor: string | undefined, timeout: number): Promise<unknown> {
    if (this.#controller !== undefined) return this.#controller.getStatus(flavor, timeout);
    return this.#settled().then((controller) => controller?.getStatus(flavor, timeout));
  }

  /** Not async: bursts of sends are a hot path, and a channel's own promise is returned as it is. */
  send(data: unknown): Promise<void> {
    if (this.#controller !== undefined) return this.#controller.send(data);
    return this.#sendOnceStarted(data);
  }

  async #sendOnceStarted(data: unknown): Promise<void> {
    const controller = await this.#settled();
    if (controller === undefined)
      throw new ThreadStateError(`send() of thread "${this.state.name}": the thread never started.`);
    return controller.send(data);
  }

  /** Calls the thread's method `method` (a Plugin's typed call); rejects if there is no child. */
  call(method: string, input: unknown, timeout: number, signal?: AbortSignal): Promise<unknown> {
    const controller = this.#controller;
    if (controller === undefined) {
      return Promise.reject(
        new ThreadStateError(`call("${method}") of thread "${this.state.name}": the thread has no child.`),
      );
    }
    return controller.call(method, input, timeout, signal);
  }

  /** Opens the thread's stream method `method` (a Plugin's `host.stream()`); throws if there is no child. */
  stream(
    method: string,
    input: unknown,
    options: { highWaterMark: number; timeout: number; signal: AbortSignal | undefined },
  ): AsyncIterator<unknown> {
    const controller = this.#controller;
    if (controller === undefined) {
      throw new ThreadStateError(`stream("${method}") of thread "${this.state.name}": the thread has no child.`);
    }
    return controller.stream(method, input, options);
  }

  /** Resolves with the child's memory once its event loop answers; rejects if run() has not begun. */
  ping(timeout: number): Promise<Pong> {
    const controller = this.#controller;
    if (controller === undefined) {
      return Promise.reject(new ThreadStateError(`ping of thread "${this.state.name}": the thread has no child.`));
    }
    return controller.ping(timeout);
  }

  /** Signals the child; while it is being forked, as soon as it exists. A port never started ignores it. */
  signal(signal: NodeJS.Signals): void {
    if (this.#controller === undefined) {
      // Still being forked: a supervisor that gives up on a start must be able to end it at any moment.
      if (this.isAlive() && this.#signalOnFork !== 'SIGKILL') this.#signalOnFork = signal;
      return;
    }
    this.#controller.signal(signal);
  }

  /** The controller once the start has settled; undefined if it failed before one existed. */
  async #settled(): Promise<HostController | undefined> {
    await this.#starting;
    return this.#controller;
  }

  /**
   * The controller as soon as the child exists, whether or not run() has
   * begun; undefined if none could be made, or the port never started. Waits
   * only on the host's own work (loading its process code, a synchronous
   * fork), never on the child.
   */
  #whenForked(): Promise<HostController | undefined> {
    return this.#forked ?? Promise.resolve(undefined);
  }
}
