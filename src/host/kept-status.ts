import { ProtocolError } from '../errors.js';
import { jsonSize } from '../protocol/json-size.js';

/**
 * The largest status the host keeps or hands on, in bytes of its JSON: room
 * for a final status of a few MiB, and a bound on what rendering one costs.
 * @default 8388608 (8 MiB)
 */
export const MAX_STATUS_BYTES = 8 * 2 ** 20;

/** A status as the host keeps it: measured, or refused and the reason kept instead. */
export type KeptStatus = { value: unknown; bytes: number } | { error: ProtocolError; bytes: 0 };

/**
 * Measures a child's status before the host keeps it: structured clone makes
 * a few bytes on the wire into gigabytes of JSON (a sparse array), and
 * whoever renders the status next would pay for them.
 */
export function keepStatus(value: unknown, label: string): KeptStatus {
  const size = jsonSize(value, MAX_STATUS_BYTES);
  if ('bytes' in size) return { value, bytes: size.bytes };
  return {
    error: new ProtocolError(
      `getStatus() of ${label}: its status is ${size.over} (the host keeps at most ${MAX_STATUS_BYTES}), so it was dropped; make the thread's status() return plain data, and less of it.`,
    ),
    bytes: 0,
  };
}

/** The kept status's value, or its error thrown. */
export function keptValue(kept: KeptStatus): unknown {
  if ('error' in kept) throw kept.error;
  return kept.value;
}
