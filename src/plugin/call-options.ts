import { MAX_HIGH_WATER_MARK } from '../protocol/stream-frames.js';
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

/** Options of `host.stream()`. */
export interface PluginStreamOptions {
  /**
   * The longest wait for each next item, in ms; past it the iteration throws ThreadTimeoutError.
   * @default 5000
   */
  timeout?: number;
  /**
   * Ends the stream: the iteration throws an AbortError, and the plugin's generator is returned.
   * @default undefined
   */
  signal?: AbortSignal;
  /**
   * The most items held unread on the host: the plugin's generator is not pulled past it. 1 to 65536.
   * @default 16
   */
  highWaterMark?: number;
}

/** `highWaterMark` checked: a whole number from 1 to 65536, or a RangeError naming `where`. */
export function checkHighWaterMark(value: unknown, where: string): number {
  if (value === undefined) return DEFAULT_HIGH_WATER_MARK;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_HIGH_WATER_MARK) {
    throw new RangeError(
      `${where}: highWaterMark must be a whole number from 1 to ${MAX_HIGH_WATER_MARK} (items held unread), got ${String(value)}.`,
    );
  }
  return value;
}

/** Items a stream holds unread by default. */
export const DEFAULT_HIGH_WATER_MARK = 16;
