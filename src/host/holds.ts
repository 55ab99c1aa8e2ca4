/**
 * A daemon thread must not keep the host alive, but a host awaiting a call
 * on one must stay up until the call settles: the child and its pipes are
 * ref'd while any start, stop or join is pending.
 */
export class Holds {
  #count = 0;
  /** Sets the child's ref: true while it must keep the host alive. */
  readonly #ref: (held: boolean) => void;

  constructor(ref: (held: boolean) => void) {
    this.#ref = ref;
  }

  async around<T>(work: Promise<T>): Promise<T> {
    this.#change(1);
    try {
      return await work;
    } finally {
      this.#change(-1);
    }
  }

  #change(delta: number): void {
    this.#count += delta;
    this.#ref(this.#count > 0);
  }
}
