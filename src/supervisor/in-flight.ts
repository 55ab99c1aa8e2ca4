/**
 * The calls under way on each supervised plugin instance, so a graceful
 * replace can let the old instance finish the calls it has before it is
 * stopped. Kept by instance, not by name: during a graceful replace two
 * instances share the name.
 */
export class InFlight<K extends object> {
  readonly #counts = new WeakMap<K, { count: number; drained: (() => void)[] }>();

  /** Counts `call` against `key` until it settles. */
  track<T>(key: K, call: Promise<T>): Promise<T> {
    let entry = this.#counts.get(key);
    if (entry === undefined) {
      entry = { count: 0, drained: [] };
      this.#counts.set(key, entry);
    }
    entry.count++;
    const done = () => {
      const current = this.#counts.get(key);
      if (current === undefined || --current.count > 0) return;
      for (const resolve of current.drained.splice(0)) resolve();
    };
    return call.finally(done);
  }

  /** Resolves true once `key` has no call under way, false if some still are after `ms` (no timer is left behind). */
  drained(key: K, ms: number): Promise<boolean> {
    const entry = this.#counts.get(key);
    if (entry === undefined || entry.count === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        entry.drained.splice(entry.drained.indexOf(onDrained), 1);
        resolve(false);
      }, ms);
      const onDrained = () => {
        clearTimeout(timer);
        resolve(true);
      };
      entry.drained.push(onDrained);
    });
  }
}
