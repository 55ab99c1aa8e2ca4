import type { ChildBinding } from '../context.js';
import { ThreadStateError } from '../errors.js';
import { processTitle } from '../names.js';
import { checkDuration, startedTwice } from '../options.js';
import { reportThreadError } from '../report.js';
import { applyPatch, type Mirror, type Owner, type ThreadSide } from '../side.js';
import type { StatePatch } from '../thread-state.js';
import type { StopResult, ThreadView } from '../view.js';
import { Sleeper } from './sleeper.js';

// The library's own way from a public thread to its instance in the child
// (Plugin's, for callHost()): weak, and in a module the package's
// declarations do not reach, so it is no part of the API.
const instances = new WeakMap<object, ChildInstance>();

/** The child-side instance of `thread`, or undefined for a host's handle. */
export const instanceOf = (thread: object): ChildInstance | undefined => instances.get(thread);

/**
 * The child's side of a thread: the instance whose `run()` executes here. Its
 * state mirrors the host's through the runtime's binding, it has begun by the
 * time it exists, and its process ends when `run()` returns.
 */
export class ChildInstance implements ThreadSide {
  readonly state: Mirror;
  readonly started = true;
  /** As the host had it; never written, as the thread has started. */
  daemon: boolean;
  readonly exitCode = null;
  readonly signalCode = null;
  readonly exitReason = null;
  /** The runtime's offer: frames to the host and calls to its functions. */
  readonly binding: ChildBinding;
  readonly #owner: Owner;
  readonly #sleeper = new Sleeper();

  constructor(owner: Owner, binding: ChildBinding) {
    this.#owner = owner;
    this.binding = binding;
    const { name, idle, sleeptime } = binding.state;
    this.state = { name, idle, sleeptime, active: true };
    this.daemon = binding.state.daemon;
    instances.set(owner, this);
    binding.attach(this.#view());
  }

  get pid(): number {
    return this.binding.pid;
  }

  isAlive(): boolean {
    return true;
  }

  set(patch: StatePatch): void {
    this.#apply(patch);
    this.binding.send({ t: 'set', ...patch }).catch(() => {
      // The host is gone; the runtime's disconnect handling ends the thread.
    });
  }

  /** Any change wakes a pending sleep(), so the loop sees it at once. */
  #apply(patch: StatePatch): void {
    applyPatch(this.state, patch);
    if (patch.name !== undefined) process.title = processTitle(patch.name);
    this.#sleeper.wake();
  }

  async sleep(ms: number): Promise<void> {
    checkDuration(ms, 'sleep(ms)', this.state.name);
    if (this.state.active === false) return;
    await this.#sleeper.sleep(ms);
  }

  async start(): Promise<void> {
    throw startedTwice(this.state.name);
  }

  /** Inside run(), stopping is returning: this only clears `active`. */
  async stop(): Promise<StopResult> {
    this.set({ active: false });
    return { forced: false, exitCode: null, signalCode: null };
  }

  async join(): Promise<void> {
    throw new ThreadStateError(
      `join() of thread "${this.state.name}": cannot join the current thread, it would wait for itself forever; return from run() instead.`,
    );
  }

  async getStatus(flavor: string | undefined): Promise<unknown> {
    return await this.#owner.status(flavor);
  }

  send(data: unknown): Promise<void> {
    return this.binding.send({ t: 'msg', data });
  }

  signal(call: string): void {
    throw new ThreadStateError(
      `${call} of thread "${this.state.name}": signals are sent from the host; inside run(), return instead.`,
    );
  }

  #view(): ThreadView {
    return {
      name: () => this.state.name,
      apply: (patch) => this.#apply(patch),
      deliver: (data) => {
        this.#owner.emit('message', data);
      },
      report: (error) => reportThreadError(this.#owner, error, this.state.name, this.pid),
    };
  }
}
