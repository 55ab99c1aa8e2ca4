import { deferred } from '../deferred.js';

/** Waits on one child's exit, with or without a time limit, leaving no timer or waiter behind. */
export class ExitWait {
  readonly #exit = deferred<void>();
  readonly #waiters = new Set<() => void>();
  #done = false;

  /** Resolves at the exit. */
  get promise(): Promise<void> {
    return this.#exit.promise;
  }

  /** Resolves true at exit, false after `ms`. */
  within(ms: number): Promise<boolean> {
    if (this.#done) return Promise.resolve(true);
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

  /** The child has exited: every waiter resolves now. */
  settle(): void {
    this.#done = true;
    for (const waiter of this.#waiters) waiter();
    this.#waiters.clear();
    this.#exit.resolve();
  }
}
