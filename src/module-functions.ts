import { slots } from './context.js';
// The one import that runs back: thread.ts calls trackStarted(), and these functions return its class. It is
// type-only, erased from the build, so no module waits on another at run time.
import type { JailThread } from './thread.js';

// Python's threading module functions. A process here is what a thread is
// there: the host's own process is the main thread, each JailThread's child
// runs one thread. Two copies of the library can meet in one child (see
// context.ts), so the table of started threads lives on globalThis.

/**
 * The process's own thread, as `currentThread()` on the host and
 * `mainThread()` return it: not a JailThread, nothing to start or stop.
 */
export class MainThread {
  /** Always `'MainThread'`, as Python names it. */
  readonly name = 'MainThread';
  /** The PID of the process it stands for. */
  readonly ident: number;
  readonly daemon = false;

  /** @internal */
  constructor(ident: number) {
    this.ident = ident;
    Object.freeze(this);
  }

  /** Alias of `ident`. */
  get pid(): number {
    return this.ident;
  }
  getName(): string {
    return this.name;
  }
  isDaemon(): boolean {
    return false;
  }
  /** True: the main thread lives as long as its process. */
  isAlive(): boolean {
    return true;
  }
  /** Alias of `isAlive()`. */
  is_alive(): boolean {
    return true;
  }
}

/**
 * A plugin's process as `enumerate()` lists it: a read-only view, since a
 * plugin's life is its host's to change (`host.stop(name)`, `host.restart(name)`).
 * One view per process: a restarted plugin is listed anew, with its new `ident`.
 */
export class PluginThread {
  /** The plugin's name. */
  readonly name: string;
  readonly daemon = false;
  readonly #process: { readonly pid: number | undefined; isAlive(): boolean };

  /** @internal */
  constructor(name: string, process: { readonly pid: number | undefined; isAlive(): boolean }) {
    this.name = name;
    this.#process = process;
  }

  /** The PID of the plugin's process once it is forked. */
  get ident(): number | undefined {
    return this.#process.pid;
  }
  /** Alias of `ident`. */
  get pid(): number | undefined {
    return this.ident;
  }
  getName(): string {
    return this.name;
  }
  isDaemon(): boolean {
    return false;
  }
  /** From the start of the process until its exit is seen. */
  isAlive(): boolean {
    return this.#process.isAlive();
  }
  /** Alias of `isAlive()`. */
  is_alive(): boolean {
    return this.isAlive();
  }
}

/** What `enumerate()` lists: a started JailThread, or a plugin's process. */
export type Listed = JailThread<unknown> | PluginThread;

const KEY = Symbol.for('jailthread.started');
const holder = globalThis as { [KEY]?: Set<Listed> };
/** Threads this process started, until their exit is seen (a thread that exits is pruned when next listed). */
const started: Set<Listed> = holder[KEY] ?? new Set();
holder[KEY] = started;

let main: MainThread | undefined;

/** Called by `JailThread#start()` of a host's handle, and by a plugin's process as it starts. */
export function trackStarted(thread: Listed): void {
  started.add(thread);
}

/** Called once a started thread has exited or failed to start. */
export function untrack(thread: Listed): void {
  started.delete(thread);
}

/** The thread whose `run()` executes in this process, if this is a thread's child. */
const runningHere = (): JailThread<unknown> | undefined => slots.current as JailThread<unknown> | undefined;

/**
 * The alive threads of this process: on the host, every JailThread started
 * and not yet exited, and every plugin's process (as a read-only
 * PluginThread), in the order started; in a thread's child, its own thread
 * first, then those it started. Unlike Python's, the list leaves out the main
 * thread, which is no JailThread.
 */
export function enumerate(): Listed[] {
  for (const thread of started) if (!thread.isAlive()) started.delete(thread);
  const own = runningHere();
  return own === undefined ? [...started] : [own, ...started];
}

/** `enumerate().length`. */
export function activeCount(): number {
  return enumerate().length;
}

/**
 * In a thread's child, the thread whose `run()` it runs; on the host, the
 * `MainThread` object (name `'MainThread'`, `ident` the host's PID).
 */
export function currentThread(): JailThread<unknown> | MainThread {
  return runningHere() ?? mainThread();
}

/**
 * This process's main thread: a `MainThread` whose `ident` is this process's
 * PID. In a thread's child that is the child's PID, the same as its thread's `ident`.
 */
export function mainThread(): MainThread {
  main ??= new MainThread(process.pid);
  return main;
}

/** This process's PID: `currentThread().ident`, on either side. */
export function getIdent(): number {
  return process.pid;
}

/** Alias of `activeCount()`. */
export const active_count = activeCount;
/** Alias of `currentThread()`. */
export const current_thread = currentThread;
/** Alias of `mainThread()`. */
export const main_thread = mainThread;
/** Alias of `getIdent()`. */
export const get_ident = getIdent;
