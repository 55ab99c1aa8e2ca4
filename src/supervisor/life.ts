import type { ThreadPort } from '../host/port.js';
import { DEFAULT_KILL_GRACE } from '../options.js';
import type { ModuleSpec } from '../thread-model.js';

/**
 * A plugin's process as its supervisor sees it, in one value: `'starting'`
 * from its fork until run() began or the start failed; `'running'`;
 * `'ending'` once an operation (stop, restart, kill) or the health watch
 * (unresponsive, over its memory limit) ends it; `'ended'` once its exit, or
 * its failed start, was handled.
 */
export type ProcessState = 'starting' | 'running' | 'ending' | 'ended';

/**
 * Who ends a process, besides the process itself: an operation, which then
 * owns the plugin's state (the policy is not asked), or the health watch,
 * whose reason is the exit's and which says whether that counts as a crash.
 */
export type Ender = { by: 'operation' } | { by: 'health'; reason: 'unresponsive' | 'rss limit'; crash: boolean };

/** One process of a supervised plugin, from its fork until its exit was handled. */
export class PluginProcess {
  readonly port: ThreadPort;
  /** Resolves true once `run()` has begun, false if the start failed (then `startError` says why). */
  readonly started: Promise<boolean>;
  #state: ProcessState = 'starting';
  #startError: Error | undefined;
  /** When `run()` began, for the uptime; undefined until it did. */
  #startedAt: number | undefined;
  #owned = false;
  #health: { reason: string; crash: boolean } | undefined;
  /** The ending an operation began, shared by every operation that asks for it. */
  #stopping: Promise<void> | undefined;
  #stopHealth: () => void = () => undefined;

  /**
   * Starts `port` as a plugin's new process. `onExit` is called when a
   * process that began `run()` exits; a failed start is the launcher's to handle.
   */
  constructor(port: ThreadPort, spec: ModuleSpec, onExit: (process: PluginProcess) => void) {
    this.port = port;
    let begun = false;
    this.started = port.start(spec).then(
      () => {
        begun = true;
        return true;
      },
      (error: Error) => {
        this.#startError = error;
        return false;
      },
    );
    void port.exited.then(() => {
      if (begun) onExit(this);
    });
  }

  get state(): ProcessState {
    return this.#state;
  }
  get startError(): Error | undefined {
    return this.#startError;
  }
  get startedAt(): number | undefined {
    return this.#startedAt;
  }
  /** An operation ended it: the operation sets the plugin's state, not the policy. */
  get owned(): boolean {
    return this.#owned;
  }
  /** Why the health watch ended it, and whether that counts as a crash. */
  get health(): { reason: string; crash: boolean } | undefined {
    return this.#health;
  }

  /** run() has begun: the process runs, and `stopHealth` ends its health watch. */
  running(stopHealth: () => void): void {
    if (this.#state !== 'starting') return;
    this.#state = 'running';
    this.#startedAt = Date.now();
    this.#stopHealth = stopHealth;
  }

  /**
   * The one place a process is ended by its supervisor. An operation ends it
   * gracefully within `timeout` ms, then SIGTERM and SIGKILL, whether or not
   * run() has begun (a stop reaches a child whose module is still loading);
   * the health watch kills one that is unresponsive and stops one over its
   * memory limit. The first health ending is kept; an operation owns the
   * plugin's state whatever came before it. Resolves once the exit was seen.
   */
  end(ender: Ender, timeout: number): Promise<void> {
    if (this.#state === 'ended') return Promise.resolve();
    this.#state = 'ending';
    if (ender.by === 'operation') {
      this.#owned = true;
      this.#stopping ??= this.#stopAndJoin(timeout);
      return this.#stopping;
    }
    this.#health ??= { reason: ender.reason, crash: ender.crash };
    if (ender.reason === 'unresponsive') this.port.signal('SIGKILL');
    else void this.port.stop(timeout, DEFAULT_KILL_GRACE);
    return this.port.exited;
  }

  /** A kill with no grace: a second Ctrl-C. The operation owns the plugin's state. */
  kill(): void {
    if (this.#state === 'ended') return;
    this.#state = 'ending';
    this.#owned = true;
    this.port.signal('SIGKILL');
  }

  /** Its exit (or failed start) is handled: true the first time only. */
  ended(): boolean {
    if (this.#state === 'ended') return false;
    this.#state = 'ended';
    this.#stopHealth();
    return true;
  }

  async #stopAndJoin(timeout: number): Promise<void> {
    await this.port.stop(timeout, DEFAULT_KILL_GRACE);
    await this.port.join(undefined);
  }
}
