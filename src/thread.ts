import { EventEmitter } from 'node:events';
import { ChildInstance } from './child/instance.js';
import { BRAND, slots } from './context.js';
import { JailThreadError, ThreadStateError } from './errors.js';
import { HostHandle, prewarm } from './host/handle.js';
import { preloadOf } from './host/process-wide/preload.js';
import { trackStarted, untrack } from './module-functions.js';
import { checkBoolean, checkDuration, checkName, type JailThreadOptions, notStarted } from './options.js';
import type { ThreadSide } from './side.js';
import { checkThreadConfig, classSpec, moduleSpec } from './thread-config.js';
import type { ExitReason, ModuleSpec } from './thread-model.js';
import type { CallOptions, FromModuleOptions, JailThreadEvents, StopOptions } from './thread-types.js';
import type { StopResult } from './view.js';

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

  /** The host's handle, or in the child the instance that runs: chosen once, by the constructor. */
  readonly #side: ThreadSide;
  /** Set by `fromModule()`; otherwise the class names its own module. */
  #spec: ModuleSpec | undefined;

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
    const config = checkThreadConfig(options, args, binding === undefined);
    // The child's runtime constructs its instance with a binding; anyone else gets a handle.
    this.#side = binding === undefined ? new HostHandle(this, config) : new ChildInstance(this, binding);
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
    const spec = moduleSpec(url, exportName);
    const thread = new JailThread<TStatus>(rest);
    thread.#spec = spec;
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
   *
   * Called on a subclass (`Ticker.prewarm(2)`), its spares also import the
   * subclass's module (its `static module`) before they are ready, as
   * Python's forkserver preloads modules, and serve only threads of that
   * module: the module's top-level code runs in each spare, whether or not a
   * thread adopts it. Called on JailThread itself, spares preload nothing.
   * @returns resolves once `count` spares are ready; rejects if a spare ends
   *   before, with what it wrote to stderr (a preloaded module that throws)
   */
  static async prewarm(
    count: number,
    options: Pick<JailThreadOptions, 'execArgv' | 'env' | 'cwd' | 'maxOldGenerationSizeMb' | 'output'> = {},
  ): Promise<void> {
    // biome-ignore lint/complexity/noThisInStatic: the class it is called on, as a subclass preloads its own module
    await prewarm(count, options, preloadOf(this, this === JailThread));
  }

  // --- identity -----------------------------------------------------------

  /** Identifies the thread; settable any time, shown in the child's `process.title` as `jailthread: NAME`. */
  get name(): string {
    return this.#side.state.name;
  }
  set name(value: string) {
    this.#side.set({ name: checkName(value, 'thread.name', this.name) });
  }
  getName(): string {
    return this.name;
  }
  setName(name: string): void {
    this.name = name;
  }

  /** Whether the host may exit while the thread runs. Settable only before `start()`. */
  get daemon(): boolean {
    return this.#side.daemon;
  }
  set daemon(value: boolean) {
    if (this.#side.started) {
      throw new ThreadStateError(
        `thread.daemon of thread "${this.name}": cannot set daemon status of a thread that has been started; set it before start().`,
      );
    }
    this.#side.daemon = checkBoolean(value, 'thread.daemon', this.name);
  }
  isDaemon(): boolean {
    return this.daemon;
  }
  setDaemon(daemonic: boolean): void {
    this.daemon = daemonic;
  }

  /** The child's PID: `undefined` before `start()`, kept after exit. */
  get ident(): number | undefined {
    return this.#side.pid;
  }
  /** Alias of `ident`. */
  get pid(): number | undefined {
    return this.ident;
  }

  /** The child's exit code: `null` before exit, or when it ended by a signal. Host side. */
  get exitCode(): number | null {
    return this.#side.exitCode;
  }
  /** The signal that ended the child, or `null`. Host side. */
  get signalCode(): NodeJS.Signals | null {
    return this.#side.signalCode;
  }
  /** How the child ended: `'exit'`, `'signal'`, `'out-of-memory'`, `'misbehaved'` (killed by the host for breaking the protocol or a bound) or `'spawn-failed'`; `null` until then. Host side. */
  get exitReason(): ExitReason | null {
    return this.#side.exitReason;
  }

  // --- control flags --------------------------------------------------------

  /** `null` before start, `true` from `start()`, `false` once `stop()` was asked (by either side) or the child exited. */
  get active(): boolean | null {
    return this.#side.state.active;
  }
  set active(value: boolean) {
    if (!this.#side.started) throw notStarted('thread.active =', this.name);
    this.#side.set({ active: checkBoolean(value, 'thread.active', this.name) });
  }

  /** While true the loop should do no work. Settable on either side; the other side sees the change. */
  get idle(): boolean {
    return this.#side.state.idle;
  }
  set idle(value: boolean) {
    this.#side.set({ idle: checkBoolean(value, 'thread.idle', this.name) });
  }

  /** Milliseconds `sleep()` waits. Settable on either side; the other side sees the change. */
  get sleeptime(): number {
    return this.#side.state.sleeptime;
  }
  set sleeptime(value: number) {
    this.#side.set({ sleeptime: checkDuration(value, 'thread.sleeptime', this.name) });
  }

  // --- the thread's own code (child side) -----------------------------------

  /**
   * The thread's body; runs in the child only. The child ends when it
   * returns. Override it: the default throws.
   */
  async run(): Promise<void> {
    throw new JailThreadError(
      `run() of thread "${this.name}": ${this.constructor.name} does not override run(); define run() in the subclass.`,
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
  async sleep(ms: number = this.sleeptime): Promise<void> {
    await this.#side.sleep(ms);
  }

  // --- lifecycle (host side) ------------------------------------------------

  /** Sets `active`, forks the child and resolves once `run()` has begun there. */
  async start(): Promise<void> {
    const ctor = this.constructor as typeof JailThread;
    const starting = this.#side.start(() => this.#spec ?? classSpec(ctor, ctor === JailThread, this.name));
    if (this.#side instanceof HostHandle && this.isAlive()) {
      trackStarted(this);
      this.once('exit', () => untrack(this));
    }
    try {
      await starting;
    } finally {
      if (!this.isAlive()) untrack(this);
    }
  }

  /** For `await using`: `stop()`, then `join()`. On Node 20, `Symbol.asyncDispose` is Node's own `Symbol.for('nodejs.asyncDispose')`. */
  async [Symbol.asyncDispose](): Promise<void> {
    if (!this.#side.started || this.#side instanceof ChildInstance) return;
    await this.stop();
    await this.join();
  }

  /**
   * Sets `active` to false so `run()` returns, and resolves once the child has
   * exited. After `timeout` the child gets SIGTERM, then SIGKILL after `grace`;
   * `forced` says so. Calls while a stop is under way share its result.
   * Inside the thread's own `run()`, it only sets `active` to false.
   */
  async stop(options: StopOptions = {}): Promise<StopResult> {
    return this.#side.stop(options);
  }

  /**
   * Resolves once the child has exited, or after `timeout` ms (then
   * `isAlive()` is still true). Negative timeouts count as 0.
   * @param timeout milliseconds; `undefined` waits for as long as it takes
   */
  async join(timeout?: number): Promise<void> {
    await this.#side.join(timeout);
  }

  /** True from `start()` until the child's exit has been observed. */
  isAlive(): boolean {
    return this.#side.isAlive();
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
      throw new TypeError(`getStatus(flavor) of thread "${this.name}": flavor must be a string or undefined.`);
    }
    return this.#side.getStatus(flavor, options) as Promise<TStatus>;
  }

  /**
   * Sends `data` (anything structured clone accepts) to the other side's
   * 'message' listeners. Resolves once written to the channel.
   */
  send(data: unknown): Promise<void> {
    // Not async: bursts of sends are a hot path, and a channel's own promise is returned as it is.
    return this.#side.send(data);
  }

  /** Sends SIGTERM to the child, as `multiprocessing.Process.terminate()`; during `start()`, as soon as it is forked. */
  terminate(): void {
    this.#side.signal('terminate()', 'SIGTERM');
  }

  /** Sends SIGKILL to the child, as `multiprocessing.Process.kill()`; during `start()`, as soon as it is forked. */
  kill(): void {
    this.#side.signal('kill()', 'SIGKILL');
  }
}
