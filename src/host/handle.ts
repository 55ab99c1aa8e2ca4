import { ThreadStateError } from '../errors.js';
import {
  checkProcessOptions,
  checkTimeout,
  DEFAULT_CALL_TIMEOUT,
  DEFAULT_KILL_GRACE,
  type JailThreadOptions,
  notStarted,
  startedTwice,
} from '../options.js';
import { reportThreadError } from '../report.js';
import type { Mirror, Owner, ThreadSide } from '../side.js';
import type { ThreadConfig } from '../thread-config.js';
import type { ExitReason, ModuleSpec } from '../thread-model.js';
import type { StatePatch } from '../thread-state.js';
import type { CallOptions, StopOptions } from '../thread-types.js';
import type { StopResult } from '../view.js';
import { ThreadPort } from './port.js';

/** `JailThread.prewarm()`: its arguments checked, and the pool of spares loaded only when asked for. */
export async function prewarm(count: number, options: JailThreadOptions, preload?: string): Promise<void> {
  if (!Number.isInteger(count) || count < 0) {
    throw new RangeError(`JailThread.prewarm(count): count must be a whole number >= 0, got ${String(count)}.`);
  }
  const checked = checkProcessOptions(options, 'prewarm');
  const spares = await import('./process-wide/spares.js');
  await spares.prewarm(count, checked, preload);
}

/**
 * The public JailThread's host side: a validating facade over the thread's
 * port (see ThreadPort), which owns its life. It checks the user's arguments,
 * names the call in the errors of a thread not yet (or already) started, and
 * turns the port's news into the thread's events.
 */
export class HostHandle implements ThreadSide {
  readonly #port: ThreadPort;

  constructor(owner: Owner, config: ThreadConfig) {
    this.#port = new ThreadPort(config, {
      deliver: (data) => {
        owner.emit('message', data);
      },
      report: (error, pid) => reportThreadError(owner, error, this.state.name, pid),
      exited: (exitCode, signalCode) => {
        owner.emit('exit', exitCode, signalCode);
      },
    });
  }

  get state(): Mirror {
    return this.#port.state;
  }
  get daemon(): boolean {
    return this.#port.daemon;
  }
  /** Settable only before start(): the public setter checks. */
  set daemon(value: boolean) {
    this.#port.daemon = value;
  }
  get started(): boolean {
    return this.#port.started;
  }
  get pid(): number | undefined {
    return this.#port.pid;
  }
  get exitCode(): number | null {
    return this.#port.exitCode;
  }
  get signalCode(): NodeJS.Signals | null {
    return this.#port.signalCode;
  }
  get exitReason(): ExitReason | null {
    return this.#port.exitReason;
  }

  isAlive(): boolean {
    return this.#port.isAlive();
  }

  set(patch: StatePatch): void {
    this.#port.set(patch);
  }

  async sleep(): Promise<void> {
    throw new ThreadStateError(
      `sleep() of thread "${this.state.name}": sleep() pauses run() inside the thread's own process; the host's handle has no loop to pause.`,
    );
  }

  async start(spec: () => ModuleSpec): Promise<void> {
    if (this.#port.started) throw startedTwice(this.state.name);
    await this.#port.start(spec());
  }

  async stop(options: StopOptions): Promise<StopResult> {
    const name = this.state.name;
    const timeout =
      checkTimeout(options.timeout, 'stop({ timeout })', name, 'finite') ?? this.#port.processOptions.stopTimeout;
    const grace = checkTimeout(options.grace, 'stop({ grace })', name, 'finite') ?? DEFAULT_KILL_GRACE;
    this.#mustHaveStarted('stop()');
    return this.#port.stop(timeout, grace);
  }

  async join(timeout: number | undefined): Promise<void> {
    const ms = checkTimeout(timeout, 'join(timeout)', this.state.name);
    this.#mustHaveStarted('join()');
    await this.#port.join(ms);
  }

  /** Not async: once the child exists this is a hot path, straight to it. */
  getStatus(flavor: string | undefined, options: CallOptions): Promise<unknown> {
    const timeout =
      checkTimeout(options.timeout, 'getStatus(flavor, { timeout })', this.state.name) ?? DEFAULT_CALL_TIMEOUT;
    if (!this.#port.started) return Promise.reject(notStarted('getStatus()', this.state.name));
    return this.#port.getStatus(flavor, timeout);
  }

  /** Not async: bursts of sends are a hot path, and a channel's own promise is returned as it is. */
  send(data: unknown): Promise<void> {
    if (!this.#port.started) return Promise.reject(notStarted('send()', this.state.name));
    return this.#port.send(data);
  }

  signal(call: string, signal: NodeJS.Signals): void {
    this.#mustHaveStarted(call);
    this.#port.signal(signal);
  }

  #mustHaveStarted(call: string): void {
    if (!this.#port.started) throw notStarted(call, this.state.name);
  }
}
