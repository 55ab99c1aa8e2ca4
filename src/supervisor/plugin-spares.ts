import type { ProcessOptions } from '../options.js';

/**
 * A plugin's own pool of spares: filled after each start while the plugin is
 * wanted up, ended when it stops, ends or is given up.
 */
export class PluginSpares {
  readonly #count: number;
  readonly #onError: (error: Error) => void;
  /** The plugin's module, when its spares import it before they are ready. */
  readonly #preload: string | undefined;
  /** The options the pool was filled for: the pool to end. */
  #spared: ProcessOptions | undefined;
  /** Loaded with the first spares, so that ending them is synchronous. */
  #module: typeof import('../host/process-wide/spares.js') | undefined;

  constructor(count: number, onError: (error: Error) => void, preload: string | undefined) {
    this.#count = count;
    this.#onError = onError;
    this.#preload = preload;
  }

  /** Fills the pool for starts forked with `options`; a spare that fails is reported, and restarts are cold. */
  async keep(options: ProcessOptions | undefined, wanted: () => boolean): Promise<void> {
    if (this.#count === 0 || options === undefined || !wanted()) return;
    // Imported when needed: spares.js brings execa, which a plugin's child must not load.
    this.#module ??= await import('../host/process-wide/spares.js');
    if (!wanted()) return;
    const { prewarm, samePool } = this.#module;
    // The host's environment or directory changed since: no start would adopt from the old pool again.
    if (this.#spared !== undefined && !samePool(this.#spared, options)) void prewarm(0, this.#spared, this.#preload);
    this.#spared = options;
    await prewarm(this.#count, options, this.#preload).catch(this.#onError);
  }

  /** Ends the spares, ready or still starting: SIGKILL is sent before this returns. */
  release(): void {
    const options = this.#spared;
    if (options === undefined || this.#module === undefined) return;
    this.#spared = undefined;
    void this.#module.prewarm(0, options, this.#preload);
  }
}
