/**
 * A thread's life as the host sees it, in one value (jest-worker's
 * WorkerStates): `'new'` until start(); `'forking'` while the host loads its
 * own process code and gets a child (a spare or a fork); `'starting'` until
 * the child says run() has begun; `'running'`; `'stopping'` once stop() is
 * called; and `'exited'` for good. A stop() that comes before run() has begun
 * is `'cancelling'`: the start can still succeed (the child may get there
 * first) or fail, and the thread is stopping either way.
 */
export type LifeState = 'new' | 'forking' | 'starting' | 'running' | 'cancelling' | 'stopping' | 'exited';

/** What moves a life on: start(), the child being made, its `started` frame, a stop() call, its exit. */
export type LifeEvent = 'start' | 'forked' | 'started' | 'stop' | 'exit';

const NEXT: Record<LifeState, Partial<Record<LifeEvent, LifeState>>> = {
  new: { start: 'forking' },
  forking: { forked: 'starting', stop: 'cancelling', exit: 'exited' },
  starting: { started: 'running', stop: 'cancelling', exit: 'exited' },
  running: { stop: 'stopping', exit: 'exited' },
  cancelling: { started: 'stopping', exit: 'exited' },
  stopping: { exit: 'exited' },
  exited: {},
};

/** Where `event` takes a life in state `state`; an event that does not apply leaves it where it is. */
export function nextLife(state: LifeState, event: LifeEvent): LifeState {
  return NEXT[state][event] ?? state;
}

/** run() has not begun (yet): an exit in this state is a failed start. */
export function beforeRun(state: LifeState): boolean {
  return state === 'forking' || state === 'starting' || state === 'cancelling';
}

/** The host has asked the thread to stop: the child can no longer make it active. */
export function stopRequested(state: LifeState): boolean {
  return state === 'cancelling' || state === 'stopping';
}

/**
 * The one life of one thread on the host, and its one setter. The public
 * handle, the controller of the child, the ending, the waits on the exit and
 * the ref holds all read it here; none keeps a state of its own.
 */
export class ThreadLife {
  #state: LifeState = 'new';
  readonly #waiters = new Set<() => void>();
  readonly #exited: Promise<void>;
  #settle: () => void = () => undefined;
  /** Told of every change, after it is made. */
  readonly #changed: (state: LifeState, was: LifeState) => void;

  constructor(changed: (state: LifeState, was: LifeState) => void = () => undefined) {
    this.#changed = changed;
    this.#exited = new Promise((resolve) => {
      this.#settle = resolve;
    });
  }

  get state(): LifeState {
    return this.#state;
  }

  /** The one setter: moves the life by `event` and returns the state it was in. */
  advance(event: LifeEvent): LifeState {
    const was = this.#state;
    const next = nextLife(was, event);
    if (next === was) return was;
    this.#state = next;
    if (next === 'exited') {
      for (const waiter of this.#waiters) waiter();
      this.#waiters.clear();
      this.#settle();
    }
    this.#changed(next, was);
    return was;
  }

  /** Resolves at the exit. */
  get exit(): Promise<void> {
    return this.#exited;
  }

  /** Resolves true at the exit, false after `ms`; leaves no timer or waiter behind. */
  exitWithin(ms: number): Promise<boolean> {
    if (this.#state === 'exited') return Promise.resolve(true);
    return new Promise((resolve) => {
      const onExit = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(onExit);
        resolve(false);
      }, ms);
      this.#waiters.add(onExit);
    });
  }
}
