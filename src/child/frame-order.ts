/**
 * Where the child's frame handling is: `'waiting-init'` for the host's init
 * frame, `'booting'` while the thread's module loads and its instance is made,
 * `'running'` once run() has been called.
 */
export type FramePhase = 'waiting-init' | 'booting' | 'running';

/** What the frame order acts on; it decides only when and in which order. */
export interface FrameActions<I, C> {
  /** Checks a frame against the init frame's own schema: undefined, once reported, if it does not fit. */
  checkInit(raw: unknown): I | undefined;
  /** The init frame: import the module and make the thread. */
  boot(init: I): void;
  dispatch(frame: C): void;
  /** An init frame after the first one: reported, and changes nothing. */
  secondInit(): void;
}

/** Checks a frame against every frame's schema: undefined, once reported, if it does not fit. */
export type CheckFrame<I, C> = (raw: unknown) => I | C | undefined;

type Entry<C> = { raw: unknown } | { frame: C };

const isInit = (raw: unknown): boolean => (raw as { t?: unknown } | null)?.t === 'init';

/**
 * The order in which a child handles the host's frames. Building every
 * frame's schema costs a few ms, which a cold start would pay before run()
 * could begin; so only the init frame is checked until that schema is loaded
 * (see `loaded()`), and other frames wait for it in the one queue, in the
 * order they came. Frames that come before run() is called wait too: state
 * changes reach the thread before run() begins, the rest right after it is
 * called (its 'message' listeners are usually set up there).
 */
export class FrameOrder<I, C extends { t: string }> {
  #phase: FramePhase = 'waiting-init';
  /** Frames not handled yet, in arrival order: unchecked while there is no schema for them. */
  readonly #queue: Entry<C>[] = [];
  #check: CheckFrame<I, C> | undefined;
  readonly #actions: FrameActions<I, C>;

  constructor(actions: FrameActions<I, C>) {
    this.#actions = actions;
  }

  get phase(): FramePhase {
    return this.#phase;
  }

  /** Every frame's schema is loaded. */
  get checked(): boolean {
    return this.#check !== undefined;
  }

  /** Some queued frame waits for every frame's schema: run() should not begin before it is loaded. */
  get waitsForSchema(): boolean {
    return this.#queue.some((entry) => 'raw' in entry);
  }

  /** The one place that decides what a frame from the host does. */
  receive(raw: unknown): void {
    if (this.#check === undefined) {
      if (this.#phase !== 'waiting-init' || !isInit(raw)) {
        this.#queue.push({ raw });
        return;
      }
      const init = this.#actions.checkInit(raw);
      if (init !== undefined) this.#boot(init);
      return;
    }
    const frame = this.#check(raw);
    if (frame !== undefined) this.#route(frame);
  }

  /** Every frame's schema is loaded: the frames that waited for it are checked and routed, in order. */
  loaded(check: CheckFrame<I, C>): void {
    this.#check = check;
    for (const entry of this.#queue.splice(0)) {
      const frame = 'raw' in entry ? check(entry.raw) : entry.frame;
      if (frame !== undefined) this.#route(frame);
    }
  }

  /**
   * The thread is made: state changes that came meanwhile reach it, then
   * `start` calls run(), then the other frames that came are handled.
   * Frames still unchecked stay queued for the schema. Returns what `start` did.
   */
  begin<T>(start: () => T, isStateChange: (frame: C) => boolean): T {
    const early: C[] = [];
    const unchecked: Entry<C>[] = [];
    for (const entry of this.#queue.splice(0)) {
      if ('raw' in entry) unchecked.push(entry);
      else early.push(entry.frame);
    }
    this.#queue.push(...unchecked);
    for (const frame of early) if (isStateChange(frame)) this.#actions.dispatch(frame);
    const started = start();
    this.#phase = 'running';
    for (const frame of early) if (!isStateChange(frame)) this.#actions.dispatch(frame);
    return started;
  }

  #boot(init: I): void {
    this.#phase = 'booting';
    this.#actions.boot(init);
  }

  #route(frame: I | C): void {
    if ((frame as { t: string }).t === 'init') {
      if (this.#phase === 'waiting-init') this.#boot(frame as I);
      else this.#actions.secondInit();
    } else if (this.#phase === 'running') {
      this.#actions.dispatch(frame as C);
    } else {
      this.#queue.push({ frame: frame as C });
    }
  }
}
