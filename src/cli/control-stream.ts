import type { Socket } from 'node:net';
import { type ControlResponse, MAX_RESPONSE_BYTES } from './control-protocol.js';
import { messageOf } from './errors.js';

// A stream's answer on the control socket: one `{"item":…}` line per item as
// it comes, then one control response line ({ ok: true } or the error) that
// ends it. The next item is pulled only once the client has taken the last
// line (the socket drained), so the host holds the stream's highWaterMark of
// items and one line at most, and a slow client slows the plugin down.

/** A handler's answer that is a sequence of items; `abort` ends it in the plugin (its generator's finally runs). */
export class StreamAnswer {
  constructor(
    readonly items: AsyncIterable<unknown>,
    readonly abort: (reason: Error) => void,
  ) {}
}

/** The line of one item, or an error if it is longer than a client reads. */
function itemLine(item: unknown, command: string): string {
  const line = JSON.stringify({ item: item === undefined ? null : item });
  const bytes = Buffer.byteLength(line);
  if (bytes > MAX_RESPONSE_BYTES)
    throw new Error(
      `an item of '${command}' is ${bytes} bytes of JSON, over the control socket's limit of ${MAX_RESPONSE_BYTES}; the stream was ended`,
    );
  return `${line}\n`;
}

/** Until `socket` drains; rejects when it closes, or when the client takes nothing for `timeout` ms. */
function drained(socket: Socket, timeout: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error?: Error) => {
      clearTimeout(timer);
      socket.off('drain', onDrain);
      socket.off('close', onClose);
      if (error === undefined) resolve();
      else reject(error);
    };
    const onDrain = () => done();
    const onClose = () => done(new Error('the control client left'));
    const timer = setTimeout(() => {
      done(new Error(`the control client read nothing for ${timeout} ms`));
      socket.destroy();
    }, timeout);
    socket.once('drain', onDrain);
    socket.once('close', onClose);
  });
}

/**
 * Writes the items of `answer` to `socket` as they come and returns the
 * response that ends them. The stream ends in the plugin (its generator's
 * `finally` runs) when the client leaves, when it reads nothing for
 * `timeout` ms, or when `ended` aborts (the host is closing the socket).
 */
export async function writeStream(
  socket: Socket,
  answer: StreamAnswer,
  { command, timeout, ended }: { command: string; timeout: number; ended: AbortSignal },
): Promise<ControlResponse> {
  const onClose = () => answer.abort(new Error('the control client left'));
  const onEnded = () => answer.abort(ended.reason as Error);
  socket.once('close', onClose);
  ended.addEventListener('abort', onEnded, { once: true });
  try {
    if (ended.aborted) onEnded();
    // The client left before the stream began: its 'close' has been and gone.
    if (socket.destroyed) onClose();
    let items = 0;
    for await (const item of answer.items) {
      items++;
      // Aborted before the loop ends the stream: the plugin's generator sees its reader left, not a failure.
      if (!socket.write(itemLine(item, command)))
        await drained(socket, timeout).catch((error: Error) => {
          answer.abort(error);
          throw error;
        });
    }
    return { ok: true, items };
  } catch (error) {
    return { ok: false, error: messageOf(error) };
  } finally {
    socket.off('close', onClose);
    ended.removeEventListener('abort', onEnded);
  }
}
