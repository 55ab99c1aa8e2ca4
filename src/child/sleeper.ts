/**
 * The interruptible wait behind `JailThread.sleep()`: every pending sleep
 * ends early when the thread's state changes, so a loop notices `stop()` or a
 * new `idle`/`sleeptime` at once instead of after its full nap.
 */
export class Sleeper {
  readonly #wakers = new Set<() => void>();

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wakers.add(done);
    });
  }

  wake(): void {
    for (const done of this.#wakers) done();
  }
}
