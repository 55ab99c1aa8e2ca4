import { jsonSize } from '../protocol/json-size.js';

/**
 * How many bytes of JSON a child's value may be per byte of the frame that
 * carried it. Plain data never comes near: its JSON is at most about 13 times
 * its structured clone (a Uint8Array, each byte `"12":255,`; plain JSON-like
 * data stays under 3 times). Past it the value is built from shared references
 * or an array's holes, which cost nothing to send and everything to expand.
 * @default 16
 */
export const JSON_BYTES_PER_FRAME_BYTE = 16;

/** Allowance on top of the per-byte bound, so that a small frame is never refused for a small value. @default 1048576 (1 MiB) */
export const JSON_BYTES_ALLOWANCE = 2 ** 20;

/** The most bytes of JSON a value carried by a frame of `bytes` may be: linear in what was received. */
export const frameBound = (bytes: number): number => JSON_BYTES_PER_FRAME_BYTE * bytes + JSON_BYTES_ALLOWANCE;

/**
 * Measures the value a child's frame carries before the host validates,
 * stringifies or forwards it, by the bounded walk (its cost linear in the
 * bound, so in the frame's bytes). Returns the misbehaviour to kill the child
 * for, or undefined.
 */
export function overFrameBound(kind: string, value: unknown, bytes: number): string | undefined {
  const bound = frameBound(bytes);
  const size = jsonSize(value, bound);
  if ('bytes' in size) return undefined;
  return `sent ${kind} of ${bytes} bytes whose value is ${size.over} (a frame's value may be at most ${JSON_BYTES_PER_FRAME_BYTE} × its bytes + ${JSON_BYTES_ALLOWANCE} bytes of JSON); it was killed (exit reason 'misbehaved'). Send plain data: no sparse arrays, no object referenced many times.`;
}
