/**
 * Runs a plugin's operations one at a time, in the order they were asked
 * for; one that fails does not hold up the next.
 */
export class Serial {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(operation);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}
