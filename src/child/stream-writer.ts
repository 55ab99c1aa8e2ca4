/**
 * Sends one stream's items as the host grants credit: the generator is not
 * pulled while the host holds as many unread items as it asked for. Ends when
 * the generator returns or throws, or its signal aborts; an abort ends the
 * generator with return(), so its `finally` runs.
 */
export class StreamWriter {
  #credit: number;
  #wake: (() => void) | undefined;

  constructor(credit: number) {
    this.#credit = credit;
  }

  /** The host's reader took `credit` items. */
  more(credit: number): void {
    this.#credit += credit;
    this.#wake?.();
  }

  /**
   * Pulls `iterator` and sends each item; resolves once it returned, or rejects with what it threw.
   * Resolves `false` when `signal` aborted it (the generator then has been returned).
   */
  async write(
    iterator: AsyncIterator<unknown>,
    signal: AbortSignal,
    send: (value: unknown) => Promise<void>,
  ): Promise<boolean> {
    const onAbort = () => this.#wake?.();
    signal.addEventListener('abort', onAbort, { once: true });
    let finished = false;
    try {
      for (;;) {
        while (this.#credit === 0 && !signal.aborted) {
          await new Promise<void>((resolve) => {
            this.#wake = resolve;
          });
          this.#wake = undefined;
        }
        if (signal.aborted) return false;
        const next = await iterator.next();
        if (next.done === true) {
          finished = true;
          return true;
        }
        // An item made after the host gave up is dropped: nobody reads it.
        if (signal.aborted) return false;
        this.#credit--;
        await send(next.value);
      }
    } catch (error) {
      finished = true;
      throw error;
    } finally {
      signal.removeEventListener('abort', onAbort);
      if (!finished) await iterator.return?.(undefined);
    }
  }
}
