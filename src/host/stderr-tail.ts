import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

/** How much of a starting child's stderr is kept for its start error, in characters. */
export const STDERR_TAIL_BYTES = 4096;

export interface StderrTail {
  /** The last bytes the child wrote, as text; empty if none. */
  text(): string;
  /** Stops keeping: run() has begun, and its output is the thread's own. */
  stop(): void;
}

/**
 * Keeps the end of a starting child's stderr, so a child that dies before it
 * can send a frame (Node refusing a flag, a module the permission model
 * denies) still says why in start()'s error. Bounded, and linear in the bytes.
 */
export function keepStderrTail(stderr: Readable | null, limit = STDERR_TAIL_BYTES): StderrTail {
  let kept = '';
  // Chunks may split a character when the stream has no encoding of its own.
  const decoder = new StringDecoder('utf8');
  const take = (chunk: Buffer | string) => {
    kept += typeof chunk === 'string' ? chunk : decoder.write(chunk);
    // Trimmed once it is twice the limit, so each byte is copied a bounded number of times.
    if (kept.length > 2 * limit) kept = kept.slice(-limit);
  };
  stderr?.on('data', take);
  return {
    text: () => kept.slice(-limit).trimEnd(),
    stop: () => {
      stderr?.off('data', take);
      kept = '';
    },
  };
}
