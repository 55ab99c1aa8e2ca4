import { EventEmitter } from 'node:events';
import { Sleeper } from './child/sleeper.js';
import { BRAND, type ChildBinding, slots } from './context.js';
import { JailThreadError, ThreadStartError, ThreadStateError } from './errors.js';
import type { HostController, HostHooks, ModuleSpec } from './host/controller.js';
import type { ExitReason } from './host/exit-reason.js';
import { anchorHint, isRelativePath, toModuleUrl } from './module-url.js';
import { nextThreadName, processTitle } from './names.js';
import {
  checkBoolean,
  checkDuration,
  checkName,
  checkProcessOptions,
  checkTimeout,
  DEFAULT_CALL_TIMEOUT,
  DEFAULT_KILL_GRACE,
  DEFAULT_SLEEPTIME,
  type JailThreadOptions,
  notStarted,
  type ProcessOptions,
} from './options.js';
import { reportThreadError } from './report.js';
import type { StatePatch } from './thread-state.js';
import type { HostView, StopResult } from './view.js';

/** Events of a JailThread. In the host: the child's news; in the child: the host's messages. */
export interface JailThreadEvents {
  /** The child process has exited and its IPC channel has closed (host side). */
  exit: [exitCode: number | null, signalCode: NodeJS.Signals | null];
  /** `run()` threw, or a frame failed validation. Without a listener it is printed to stderr instead. */
  error: [error: Error];
  /** A user message from the other side, sent with `send()`. */
  message: [data: unknown];
}

/** Options of `JailThread.fromModule()`: the thread options plus which export holds the class. */
export interface FromModuleOptions extends JailThreadOptions {
  /**
   * The module's export that is the JailThread subclass.
   * @default 'default'
   */
  export?: string;
}

export interface StopOptions {
  /**
   * Milliseconds to wait for `run()` to return before SIGTERM.
   * @default the thread's `stopTimeout` option (5000)
   */
  timeout?: number;
  /**
   * Milliseconds between SIGTERM and SIGKILL.
   * @default 1000
   */
  grace?: number;
}

export interface CallOptions {
  /**
   * Milliseconds to wait for the child's answer before rejecting with ThreadTimeoutError.
   * @default 5000
   */
  timeout?: number;
}

type Phase = 'new' | 'starting' | 'alive' | 'exited';

/**
 * How a plugin host sets up a thread it supervises, beyond the public options.
 * @internal
 */
export interface Supervision {
  hooks: HostHooks;
  /** Pass only `env` to the child, none of the host's environment. */
  isolateEnv: boolean;
  /** Hand the output to `hooks.onLine` rather than the host's streams. */
  captureOutput: boolean;
  /** Names the plugin's own pool of spares. */
  pool: string;
}

/**
 * The library's own way into a thread handle; not part of the package's exports.
 * @internal
 */
export let internals: {
  supervise(thread: JailThread<unknown>, supervision: Supervision): void;
  controller(thread: JailThread<unknown>): HostController | undefined;
  binding(thread: JailThread<unknown>): ChildBinding | undefined;
  /** How the thread's child is forked, supervision included: what its spares must match. */
  processOptions(thread: JailThread<unknown>): ProcessOptions;
};

/**
 * A thread whose `run()` executes in a Node child process of its own: the API
 * of fail2ban's `JailThread` (Python's `threading.Thread` plus `active`,
 * `idle`, `sleeptime` and `status`).
 *
 * Subclass it in a module of its own, with `static override readonly module =
 * import.meta.url`, and construct it in the host: the host's instance is a
 * handle, and the child imports the module and constructs its own instance
 * with the same options, on which `run()` and `status()` execute.
 *
 * @example
 * export default class Ticker extends JailThread<{ ticks: number }> {
 *   static override readonly module = import.meta.url;
 *   #ticks = 0;
 *   override async run() {
 *     while (this.active) {
 *       if (!this.idle) this.#ticks++;
 *       await this.sleep();
 *     }
 *   }
 *   override status() { return { ticks: this.#ticks }; }
 * }
 */
export class JailThread<TStatus = unknown> extends EventEmitter<JailThreadEvents> {
  /**
   * The URL of the module that defines the class: set it to `import.meta.url`
   * in every subclass that is started, so the child can import it.
   * @default undefined
   */
  static readonly module: string | undefined = undefined;
  static readonly [BRAND] = true;

  static {
    internals = {
      supervise(thread, { hooks, isolateEnv, captureOutput, pool }) {
        thread.#hooks = hooks;
        thread.#process = {
          ...thread.#process,
          extendEnv: !isolateEnv,
          ...(captureOutput ? { output: 'lines' as const } : {}),
          pool,
        };
      },
      controller: (thread) => thread.#host,
      binding: (thread) => thread.#child,
      processOptions: (thread) => thread.#process,
    };
  }

  #name: string;
  #daemon: boolean;
  #idle: boolean;
  #sleeptime: number;
  #active: boolean | null = null;
  #phase: Phase = 'new';
  #spec: ModuleSpec | undefined;
  #host: HostController | undefined;
  #starting: Promise<unknown> | undefined;
  /** A terminate() or kill() that came while the child was being forked. */
  #signalOnFork: NodeJS.Signals | undefined;
  readonly #options: Record<string, unknown>;
  readonly #args: unknown[];
  #process: ProcessOptions;
  #hooks: HostHooks = {};
  readonly #child: ChildBinding | undefined;
  readonly #sleeper: Sleeper | undefined;

  /**
   * @param options serializable options, passed on to the child's instance
   * @param args extra constructor arguments, passed on too (same as `options.args`)
   */
  constructor(options: JailThreadOptions = {}, ...args: unknown[]) {
    super();
    // Taken first and unconditionally, so a constructor that throws below
    // cannot leave the binding to be picked up by some later instance.
    const binding = slots.pending;
    slots.pending = undefined;
    if (typeof options !== 'object' || options === null) {
      throw new TypeError(`new JailThread(options): options must be an object, got ${String(options)}.`);
    }
    const who = typeof options.name === 'string' ? options.name : 'unnamed';
    const where = (field: string) => `new JailThread({ ${field} })`;
    this.#name = options.name === undefined ? nextThreadName() : checkName(options.name, where('name'), who);
    this.#daemon =
      options.daemon === undefined
        ? (slots.current?.daemon ?? false)
        : checkBoolean(options.daemon, where('daemon'), who);
    this.#idle = options.idle === undefined ? false : checkBoolean(options.idle, where('idle'), who);
    this.#sleeptime = checkDuration(options.sleeptime ?? DEFAULT_SLEEPTIME, where('sleeptime'), who);
    if (options.args !== undefined && !Array.isArray(options.args)) {
      throw new TypeError(`${where('args')} of thread "${who}" must be an array of constructor arguments.`);
    }
    if (options.args !== undefined && args.length > 0) {
      throw new TypeError(
        `new JailThread() of thread "${who}": pass extra arguments either as options.args or after options, not both.`,
      );
    }
    this.#args = options.args ?? args;
    this.#process = checkProcessOptions(options, who);
    const { args: _, ...rest } = options;
    this.#options = { ...rest, ...(this.#process.cwd === undefined ? {} : { cwd: this.#process.cwd }) };
    try {
      structuredClone([this.#options, this.#args]);
    } catch (error) {
      throw new TypeError(
        `new JailThread() of thread "${who}": options and args must survive the trip to the child process (structured clone), but ${(error as Error).message}. Pass plain data, not functions or handles.`,
        { cause: error },
      );
    }
    this.#child = binding;
    if (binding !== undefined) {
      this.#name = binding.state.name;
      this.#daemon = binding.state.daemon;
      this.#idle = binding.state.idle;
      this.#sleeptime = binding.state.sleeptime;
      this.#active = true;
      this.#phase = 'alive';
      this.#sleeper = new Sleeper();
      binding.attach(this.#view());
    }
  }

  /**
   * A handle on a JailThread subclass that the host never imports: only the
   * child loads `url` (a file: URL or an absolute path) and constructs its
   * `export` with these options. A relative path throws: the host's current
   * directory depends on where it was started, so write
   * `new URL('./jails/ticker.js', import.meta.url)` for a module beside yours.
   */
  static fromModule<TStatus = unknown>(url: string | URL, options: FromModuleOptions = {}): JailThread<TStatus> {
    const { export: exportName = 'default', ...rest } = options;
    if (typeof url !== 'string' && !(url instanceof URL)) {
      throw new TypeError(`JailThread.fromModule(url): url must be a file: URL or a path, got ${String(url)}.`);
    }
    if (typeof exportName !== 'string') {
      throw new TypeError(`JailThread.fromModule(url, { export }): export must be a string naming the class's export.`);
    }
    if (isRelativePath(url)) {
      throw new TypeError(
        `JailThread.fromModule(url): '${url}' is a relative path, which would depend on the host's current directory; pass ${anchorHint(String(url), 'module')}.`,
      );
    }
    const thread = new JailThread<TStatus>(rest);
    thread.#spec = { module: toModuleUrl(url), export: exportName };
    return thread;
  }

  /**
   * Keeps `count` spare children ready for threads started with these
   * process options (`execArgv`, `env`, `cwd`, `maxOldGenerationSizeMb`,
   * `output`): each has Node and the library loaded, so `start()` only hands
   * it the thread's module, and a new spare is forked in the background to
   * replace it. A spare serves one thread and is never reused; spares do not
   * keep the host alive and end with it. A start whose process options differ
   * forks cold. `prewarm(0, options)` ends that set's spares.
   * @returns resolves once `count` spares are ready
   */
  static async prewarm(
    count: number,
    options: Pick<JailThreadOptions, 'execArgv' | 'env' | 'cwd' | 'maxOldGenerationSizeMb' | 'output'> = {},
  ): Promise<void> {
    if (!Number.isInteger(count) || count < 0) {
      throw new RangeError(`JailThread.prewarm(count): count must be a whole number >= 0, got ${String(count)}.`);
    }
    const checked = checkProcessOptions(options, 'prewarm');
    const { prewarm } = await import('./host/spares.js');
    await prewarm(count, checked);
  }

  // --- identity -----------------------------------------------------------

  /** Identifies the thread; settable any time, shown in the child's `process.title` as `jailthread: NAME`. */
  get name(): string {
    return this.#name;
  }
  set name(value: string) {
    this.#name = checkName(value, 'thread.name', this.#name);
    this.#propagate({ name: value });
  }
  getName(): string {
    return this.#name;
  }
  setName(name: string): void {
    this.name = name;
  }

  /** Whether the host may exit while the thread runs. Settable only before `start()`. */
  get daemon(): boolean {
    return this.#daemon;
  }
  set daemon(value: boolean) {
    if (this.#phase !== 'new') {
      throw new ThreadStateError(
        `thread.daemon of thread "${this.#name}": cannot set daemon status of a thread that has been started; set it before start().`,
      );
    }
    this.#daemon = checkBoolean(value, 'thread.daemon', this.#name);
  }
  isDaemon(): boolean {
    return this.#daemon;
  }
  setDaemon(daemonic: boolean): void {
    this.daemon = daemonic;
  }

  /** The child's PID: `undefined` before `start()`, kept after exit. */
  get ident(): number | undefined {
    return this.#child?.pid ?? this.#host?.pid;
  }
  /** Alias of `ident`. */
  get pid(): number | undefined {
    return this.ident;
  }

  /** The child's exit code: `null` before exit, or when it ended by a signal. Host side. */
  get exitCode(): number | null {
    return this.#host?.exitCode ?? null;
  }
  /** The signal that ended the child, or `null`. Host side. */
  get signalCode(): NodeJS.Signals | null {
    return this.#host?.signalCode ?? null;
  }
  /** How the child ended: `'exit'`, `'signal'`, `'out-of-memory'`, `'misbehaved'` (killed by the host for breaking the protocol or a bound) or `'spawn-failed'`; `null` until then. Host side. */
  get exitReason(): ExitReason | null {
    return this.#host?.exitReason ?? null;
  }

  // --- control flags --------------------------------------------------------

  /** `null` before start, `true` from `start()`, `false` once `stop()` was asked (by either side) or the child exited. */
  get active(): boolean | null {
    return this.#active;
  }
  set active(value: boolean) {
    if (this.#phase === 'new') throw notStarted('thread.active =', this.#name);
    this.#active = checkBoolean(value, 'thread.active', this.#name);
    this.#propagate({ active: value });
  }

  /** While true the loop should do no work. Settable on either side; the other side sees the change. */
  get idle(): boolean {
    return this.#idle;
  }
  set idle(value: boolean) {
    this.#idle = checkBoolean(value, 'thread.idle', this.#name);
    this.#propagate({ idle: value });
  }

  /** Milliseconds `sleep()` waits. Settable on either side; the other side sees the change. */
  get sleeptime(): number {
    return this.#sleeptime;
  }
  set sleeptime(value: number) {
    this.#sleeptime = checkDuration(value, 'thread.sleeptime', this.#name);
    this.#propagate({ sleeptime: value });
  }

  // --- the thread's own code (child side) -----------------------------------

  /**
   * The thread's body; runs in the child only. The child ends when it
   * returns. Override it: the default throws.
   */
  async run(): Promise<void> {
    throw new JailThreadError(
      `run() of thread "${this.#name}": ${this.constructor.name} does not override run(); define run() in the subclass.`,
    );
  }

  /**
   * The thread's status; runs in the child only (in the host, call
   * `getStatus()`). Override it to return serializable data.
   * @default undefined
   */
  status(_flavor?: string): TStatus | Promise<TStatus> {
    return undefined as TStatus;
  }

  /**
   * Waits `ms` (default `sleeptime`) inside `run()`, waking at once when the
   * thread is stopped or its `idle`/`sleeptime` change. Child side only.
   */
  async sleep(ms: number = this.#sleeptime): Promise<void> {
    if (this.#sleeper === undefined) {
      throw new ThreadStateError(
        `sleep() of thread "${this.#name}": sleep() pauses run() inside the thread's own process; the host's handle has no loop to pause.`,
      );
    }
    checkDuration(ms, 'sleep(ms)', this.#name);
    if (this.#active === false) return;
    await this.#sleeper.sleep(ms);
  }

  // --- lifecycle (host side) ------------------------------------------------

  /** Sets `active`, forks the child and resolves once `run()` has begun there. */
  async start(): Promise<void> {
    if (this.#phase !== 'new') {
      throw new ThreadStateError(
        `start() of thread "${this.#name}": threads can only be started once; create a new instance to run again.`,
      );
    }
    const spec = this.#spec ?? this.#classSpec();
    this.#phase = 'starting';
    this.#active = true;
    const started = this.#launch(spec);
    this.#starting = started.catch(() => undefined);
    await started;
  }

  async #launch(spec: ModuleSpec): Promise<void> {
    try {
      const { HostController } = await import('./host/controller.js');
      this.#host = new HostController(this.#view(), {
        spec,
        options: this.#options,
        args: this.#args,
        process: this.#process,
        hooks: this.#hooks,
        state: () => ({
          name: this.#name,
          daemon: this.#daemon,
          idle: this.#idle,
          sleeptime: this.#sleeptime,
          active: this.#active !== false,
        }),
      });
      if (this.#signalOnFork !== undefined) this.#host.signal(this.#signalOnFork);
      await this.#host.started;
      if (this.#phase === 'starting') this.#phase = 'alive';
    } catch (error) {
      this.#phase = 'exited';
      this.#active = false;
      throw error;
    }
  }

  #classSpec(): ModuleSpec {
    const ctor = this.constructor as typeof JailThread;
    if (ctor === JailThread) {
      throw new ThreadStartError(
        `start() of thread "${this.#name}": a plain JailThread has no run() to execute; subclass it, or use JailThread.fromModule(url).`,
      );
    }
    if (!Object.hasOwn(ctor, 'module') || typeof ctor.module !== 'string') {
      throw new ThreadStartError(
        `start() of thread "${this.#name}": ${ctor.name} does not say where it lives; add \`static override readonly module = import.meta.url;\` to the class.`,
      );
    }
    return { module: ctor.module, className: ctor.name };
  }

  /**
   * Sets `active` to false so `run()` returns, and resolves once the child has
   * exited. After `timeout` the child gets SIGTERM, then SIGKILL after `grace`;
   * `forced` says so. Calls while a stop is under way share its result.
   * Inside the thread's own `run()`, it only sets `active` to false.
   */
  async stop(options: StopOptions = {}): Promise<StopResult> {
    if (this.#child !== undefined) {
      this.active = false;
      return { forced: false, exitCode: null, signalCode: null };
    }
    const timeout = checkTimeout(options.timeout, 'stop({ timeout })', this.#name) ?? this.#process.stopTimeout;
    const grace = checkTimeout(options.grace, 'stop({ grace })', this.#name) ?? DEFAULT_KILL_GRACE;
    const host = await this.#controller('stop()');
    if (host === undefined) return { forced: false, exitCode: null, signalCode: null };
    this.#active = false;
    return host.stop(timeout, grace);
  }

  /**
   * Resolves once the child has exited, or after `timeout` ms (then
   * `isAlive()` is still true). Negative timeouts count as 0.
   * @param timeout milliseconds; `undefined` waits for as long as it takes
   */
  async join(timeout?: number): Promise<void> {
    if (this.#child !== undefined) {
      throw new ThreadStateError(
        `join() of thread "${this.#name}": cannot join the current thread, it would wait for itself forever; return from run() instead.`,
      );
    }
    const ms = checkTimeout(timeout, 'join(timeout)', this.#name);
    const host = await this.#controller('join()');
    await host?.join(ms);
  }

  /** True from `start()` until the child's exit has been observed. */
  isAlive(): boolean {
    return this.#phase === 'starting' || this.#phase === 'alive';
  }
  /** Alias of `isAlive()`. */
  is_alive(): boolean {
    return this.isAlive();
  }

  /**
   * The child's `status(flavor)`; after exit, the last status it reported.
   * Rejects with ThreadTimeoutError when the child does not answer in time.
   */
  async getStatus(flavor?: string, options: CallOptions = {}): Promise<TStatus> {
    if (flavor !== undefined && typeof flavor !== 'string') {
      throw new TypeError(`getStatus(flavor) of thread "${this.#name}": flavor must be a string or undefined.`);
    }
    if (this.#child !== undefined) return await this.status(flavor);
    const timeout = checkTimeout(options.timeout, 'getStatus(flavor, { timeout })', this.#name) ?? DEFAULT_CALL_TIMEOUT;
    // Straight to the controller once it exists: this is the hot path.
    const host = this.#host ?? (await this.#controller('getStatus()'));
    return host?.getStatus(flavor, timeout) as Promise<TStatus>;
  }

  /**
   * Sends `data` (anything structured clone accepts) to the other side's
   * 'message' listeners. Resolves once written to the channel.
   */
  send(data: unknown): Promise<void> {
    // Not async: bursts of sends are a hot path, and once a channel exists
    // its own promise is returned, with no second one wrapped around it.
    if (this.#child !== undefined) return this.#child.send({ t: 'msg', data });
    if (this.#host !== undefined) return this.#host.send(data);
    return this.#sendOnceStarted(data);
  }

  async #sendOnceStarted(data: unknown): Promise<void> {
    const host = await this.#controller('send()');
    if (host === undefined) throw new ThreadStateError(`send() of thread "${this.#name}": the thread never started.`);
    return host.send(data);
  }

  /** Sends SIGTERM to the child, as `multiprocessing.Process.terminate()`; during `start()`, as soon as it is forked. */
  terminate(): void {
    this.#signal('terminate()', 'SIGTERM');
  }

  /** Sends SIGKILL to the child, as `multiprocessing.Process.kill()`; during `start()`, as soon as it is forked. */
  kill(): void {
    this.#signal('kill()', 'SIGKILL');
  }

  #signal(call: string, signal: NodeJS.Signals): void {
    if (this.#child !== undefined) {
      throw new ThreadStateError(
        `${call} of thread "${this.#name}": signals are sent from the host; inside run(), return instead.`,
      );
    }
    if (this.#phase === 'new') throw notStarted(call, this.#name);
    if (this.#host === undefined) {
      // Still being forked: a supervisor that gives up on a start must be able to end it at any moment.
      if (this.#phase === 'starting' && this.#signalOnFork !== 'SIGKILL') this.#signalOnFork = signal;
      return;
    }
    this.#host.signal(signal);
  }

  async #controller(call: string): Promise<HostController | undefined> {
    if (this.#phase === 'new') throw notStarted(call, this.#name);
    await this.#starting;
    return this.#host;
  }

  #propagate(patch: StatePatch): void {
    if (this.#child !== undefined) {
      if (patch.name !== undefined) process.title = processTitle(patch.name);
      this.#sleeper?.wake();
      this.#child.send({ t: 'set', ...patch }).catch(() => {
        // The host is gone; the runtime's disconnect handling ends the thread.
      });
    } else {
      this.#host?.sendPatch(patch);
    }
  }

  #view(): HostView {
    return {
      name: () => this.#name,
      apply: (patch) => {
        if (patch.name !== undefined) this.#name = patch.name;
        if (patch.idle !== undefined) this.#idle = patch.idle;
        if (patch.sleeptime !== undefined) this.#sleeptime = patch.sleeptime;
        if (patch.active !== undefined) this.#active = patch.active;
        if (this.#child !== undefined && patch.name !== undefined) process.title = processTitle(patch.name);
        this.#sleeper?.wake();
      },
      deliver: (data) => {
        this.emit('message', data);
      },
      report: (error) => {
        reportThreadError(this, error, this.#name, this.ident);
      },
      exited: (exitCode, signalCode) => {
        this.#phase = 'exited';
        this.#active = false;
        this.emit('exit', exitCode, signalCode);
      },
    };
  }
}
