/** What the host holds for a child, by kind, as named in the message that ends it. */
export type HeldKind =
  | 'a frame being received'
  | 'inputs of its calls being served'
  | 'unread answers'
  | 'its status'
  | 'unread stream items';

/**
 * One child's byte budget. Each holder adds what it keeps and takes it back
 * when it lets go; past the limit the child is ended once, with the count by
 * kind, so the message says what it made the host hold.
 */
export class HeldBytes {
  readonly #limit: number;
  readonly #over: (problem: string) => void;
  readonly #byKind = new Map<HeldKind, number>();
  #total = 0;
  #broken = false;

  constructor(limit: number, over: (problem: string) => void) {
    this.#limit = limit;
    this.#over = over;
  }

  get total(): number {
    return this.#total;
  }

  /** Adds `bytes` (negative to let go) of `kind`; ends the child the first time the total passes the limit. */
  add(kind: HeldKind, bytes: number): void {
    this.#byKind.set(kind, (this.#byKind.get(kind) ?? 0) + bytes);
    this.#total += bytes;
    if (this.#total <= this.#limit || this.#broken) return;
    this.#broken = true;
    const parts = [...this.#byKind].filter(([, n]) => n > 0).map(([what, n]) => `${n} in ${what}`);
    this.#over(
      `made the host hold ${this.#total} bytes for it (${parts.join(', ')}), over its budget of ${this.#limit}; it was killed (exit reason 'misbehaved'). Raise maxHeldMb if the thread needs more, or make it send less at once.`,
    );
  }

  /** The process has ended: nothing it sent is held for it any more. */
  clear(): void {
    this.#byKind.clear();
    this.#total = 0;
  }
}
