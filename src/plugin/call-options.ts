import type { CallOptions } from '../thread-types.js';

/** Options of `host.call()` and `Plugin#callHost()`. */
export interface PluginCallOptions extends CallOptions {
  /**
   * Aborts the call: it rejects at once with an AbortError (`code` `'ABORT_ERR'`, `cause` the
   * signal's reason), and the other side's method sees its own `signal` abort. A signal already
   * aborted rejects without sending.
   * @default undefined
   */
  signal?: AbortSignal;
}
