/**
 * Where the child's frame handling is: `'waiting-init'` for the host's init
 * frame, `'booting'` while the thread's module loads and its instance is made,
 * `'running'` once run() has been called.
 */
export type FramePhase = 'waiting-init' | 'booting' | 'running';

/** What the frame order acts on; it decides only when and in which order. */
export interface FrameActions<I, C> {
  /** Checks a frame against its type's schema: undefined, once reported, if it does not fit. */
  check(raw: unknown): I | C | undefined;
  /** The init frame: import the module and make the thread. */
  boot(init: I): void;
  dispatch(frame: C): void;
  /** An init frame after the first one: reported, and changes nothing. */
  secondInit(): void;
}

/**
 * The order in which a child handles the host's frames. Each is checked as it
 * comes. Frames that come before run() is called wait, in the order they
 * came: state changes reach the thread before run() begins, the rest right
 * after it is called (its 'message' listeners are usually set up there).
 */
export class FrameOrder<I, C extends { t: string }> {
  #phase: FramePhase = 'waiting-init';
  /** Frames that came before run() was called, in arrival order. */
  readonly #early: C[] = [];
  readonly #actions: FrameActions<I, C>;

  constructor(actions: FrameActions<I, C>) {
    this.#actions = actions;
  }

  get phase(): FramePhase {
    return this.#phase;
  }

  /** The one place that decides what a frame from the host does. */
  receive(raw: unknown): void {
    const frame = this.#actions.check(raw);
    if (frame === undefined) return;
    if ((frame as { t: string }).t === 'init') {
      if (this.#phase !== 'waiting-init') {
        this.#actions.secondInit();
        return;
      }
      this.#phase = 'booting';
      this.#actions.boot(frame as I);
    } else if (this.#phase === 'running') {
      this.#actions.dispatch(frame as C);
    } else {
      this.#early.push(frame as C);
    }
  }

  /**
   * The thread is made: state changes that came meanwhile reach it, then
   * `start` calls run(), then the other frames that came are handled.
   * Returns what `start` did.
   */
  begin<T>(start: () => T, isStateChange: (frame: C) => boolean): T {
    const early = this.#early.splice(0);
    for (const frame of early) if (isStateChange(frame)) this.#actions.dispatch(frame);
    const started = start();
    this.#phase = 'running';
    for (const frame of early) if (!isStateChange(frame)) this.#actions.dispatch(frame);
    return started;
  }
}
