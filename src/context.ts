import type { ThreadState } from './thread-state.js';
import type { ThreadView } from './view.js';

// Two copies of the library can meet in one child (the worker entry's copy and
// the one a user's module resolves), so the state they share lives on
// globalThis under registered symbols instead of in module scope.

/** What the child's runtime offers the one instance it constructs. */
export interface ChildBinding {
  readonly pid: number;
  send(frame: object): Promise<void>;
  /** Calls a function the host serves; resolves with its raw answer. */
  request(method: string, input: unknown, timeout: number, signal?: AbortSignal): Promise<unknown>;
  /** Called once by the constructor, handing the runtime its way into the instance. */
  attach(view: ThreadView): void;
  /** The thread's state as the host had it when it started the thread. */
  readonly state: Readonly<ThreadState>;
}

interface Slots {
  /** Set by the worker entry just around `new Class()`; the constructor takes it. */
  pending?: ChildBinding | undefined;
  /** The thread whose `run()` executes in this process, for `daemon` inheritance. */
  current?: { readonly daemon: boolean } | undefined;
}

const KEY = Symbol.for('jailthread.context');
const holder = globalThis as { [KEY]?: Slots };

export const slots: Slots = holder[KEY] ?? {};
holder[KEY] = slots;

/** Marks JailThread and its subclasses, across copies of the library. */
export const BRAND = Symbol.for('jailthread.class');

/** The method by which a thread answers the host's typed calls (Plugin defines it). */
export const ANSWER = Symbol.for('jailthread.answer');

/** The method by which a thread runs the host's streams (Plugin defines it): an iterator of checked items. */
export const STREAM = Symbol.for('jailthread.stream');
