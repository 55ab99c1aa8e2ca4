// The host's own stdout and stderr are its user's, and can go away under it:
// `jailthread run | head -3` closes the pipe (EPIPE), a full non-blocking pipe
// refuses (EAGAIN), a closed descriptor is EBADF. Node makes each an 'error'
// event, which with no listener ends the process: the host, and with it every
// plugin. What the library and the command line write to them goes through
// here instead: a write the stream cannot take is dropped and counted.
import type { Writable } from 'node:stream';

/** Errors that mean the stream cannot take this write, not that the host is broken. */
const DROPPED = new Set([
  'EPIPE',
  'EAGAIN',
  'EBADF',
  'ECONNRESET',
  'ERR_STREAM_DESTROYED',
  'ERR_STREAM_WRITE_AFTER_END',
]);

const guarded = new WeakSet<Writable>();
let droppedLines = 0;

const codeOf = (error: unknown): unknown => (error as NodeJS.ErrnoException | undefined)?.code;

const lines = (text: string | Buffer): number => {
  let count = 0;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) count++;
  return Math.max(1, count);
};

/**
 * Listens for the stream's errors, once: those above are counted, any other
 * is thrown as it would have been without a listener.
 */
export function guardStream(stream: Writable): void {
  if (guarded.has(stream)) return;
  guarded.add(stream);
  stream.on('error', (error) => {
    if (!DROPPED.has(codeOf(error) as string)) throw error;
    droppedLines++;
  });
}

/** False once the stream can take nothing more: a write to it would only be dropped. */
export const canWrite = (stream: Writable): boolean => !stream.destroyed && !stream.writableEnded;

/**
 * Writes `text`, or drops and counts it if the stream cannot take it. Returns
 * what `write()` does: false when the caller should wait for 'drain' (never
 * for a dropped write, which has nothing to wait for).
 */
export function safeWrite(stream: Writable, text: string | Buffer): boolean {
  guardStream(stream);
  if (!canWrite(stream)) {
    droppedLines += lines(text);
    return true;
  }
  try {
    return stream.write(text);
  } catch (error) {
    // A synchronous stream (a file, a TTY) throws where a pipe would emit.
    if (!DROPPED.has(codeOf(error) as string)) throw error;
    droppedLines += lines(text);
    return true;
  }
}

/** Lines of output the host's streams could not take, since the process began. */
export const droppedOutputLines = (): number => droppedLines;
