import type { Socket } from 'node:net';
import * as z from 'zod/mini';

// One request per connection, one response back, each a line of JSON: a
// shell user can talk to the host with `nc -U` or `socat`, and there is no
// framing to get wrong. A `call` of a stream method is answered with one
// `{"item":…}` line per item, then the response line that ends them.

const name = z.string().check(z.minLength(1));

/** Longest `call` a control client can ask for, in ms: the client waits as long for its answer. */
export const MAX_CALL_TIMEOUT = 600_000;

/** A request to the host's control socket. */
export const controlRequest = z.discriminatedUnion('command', [
  z.strictObject({ command: z.literal('ping') }),
  z.strictObject({ command: z.literal('status'), name: z.optional(name) }),
  z.strictObject({ command: z.literal('idle'), name, idle: z.boolean() }),
  z.strictObject({ command: z.literal('stop'), name: z.optional(name) }),
  z.strictObject({ command: z.literal('restart'), name }),
  // Served by control-ops.ts.
  z.strictObject({ command: z.literal('reload'), name: z.optional(name), graceful: z.optional(z.boolean()) }),
  z.strictObject({
    command: z.literal('logs'),
    name,
    lines: z.int().check(z.minimum(1), z.maximum(100_000)),
    after: z.optional(z.int().check(z.minimum(0))),
  }),
  z.strictObject({
    command: z.literal('call'),
    name,
    method: name,
    input: z.optional(z.unknown()),
    timeout: z.optional(z.int().check(z.minimum(1), z.maximum(MAX_CALL_TIMEOUT))),
  }),
  z.strictObject({ command: z.literal('metrics') }),
]);

/** A validated control request. */
export type ControlRequest = z.infer<typeof controlRequest>;

/** The host's answer to one request. */
export const controlResponse = z.union([
  // `items`: the end of a stream's answer, and how many item lines it carried.
  z.strictObject({ ok: z.literal(true), result: z.optional(z.unknown()), items: z.optional(z.int()) }),
  z.strictObject({ ok: z.literal(false), error: z.string() }),
]);

/** One item of a stream's answer (control-stream.ts); the response line after the items ends them. */
export const streamItem = z.strictObject({ item: z.unknown() });

/** A validated control response. */
export type ControlResponse = z.infer<typeof controlResponse>;

/** What `ping` answers, so a starting host can name the one already running. */
export interface PingResult {
  pid: number;
}

/**
 * Longest request line, in bytes without its newline: the host reads no more
 * from a connection, and the client sends no more. A request is a command and
 * a jail name, so this is generous; it bounds what each connection can make
 * the host hold.
 */
export const MAX_REQUEST_BYTES = 64 * 1024;

/**
 * Longest response line, in bytes without its newline: the host never writes
 * a longer one (a status too large for it is replaced by that jail's error),
 * and the client reads no more.
 */
export const MAX_RESPONSE_BYTES = 1024 * 1024;

/** The valid requests, for error messages. */
export const REQUEST_FORMS =
  '{"command":"ping"}, {"command":"status","name"?}, {"command":"idle","name","idle":boolean}, {"command":"stop","name"?}, {"command":"restart","name"}, {"command":"reload","name"?,"graceful"?}, {"command":"logs","name","lines","after"?}, {"command":"call","name","method","input"?,"timeout"?}, {"command":"metrics"}';

/**
 * Reads the one line a connection carries: `onLine` gets it without its
 * newline (or, if the other side ends first, what it sent), `onTooLong` fires
 * once more than `maxBytes` arrived without one. Only the first of these is
 * reported; then the socket is no longer read. Only each new chunk is
 * searched for the newline, and the chunks are joined once, so a line
 * trickled in one byte at a time costs time and memory linear in its length.
 */
export function readLine(
  socket: Socket,
  maxBytes: number,
  onLine: (line: string) => void,
  onTooLong: () => void,
): void {
  readLines(
    socket,
    maxBytes,
    (line) => {
      onLine(line ?? '');
      return false;
    },
    onTooLong,
  );
}

/**
 * Reads the lines a stream's answer carries: `onLine` gets each without its
 * newline until it returns false, then `undefined` if the other side ends
 * (with what it sent after its last newline first, if anything);
 * `onTooLong` fires once a line runs over `maxBytes`, and then nothing more
 * is read. Costs are linear in the bytes received, as readLine()'s.
 */
export function readLines(
  socket: Socket,
  maxBytes: number,
  onLine: (line: string | undefined) => boolean,
  onTooLong: () => void,
): void {
  let chunks: Buffer[] = [];
  let length = 0;
  let done = false;
  const finish = () => {
    done = true;
    socket.off('data', onData);
    socket.off('end', onEnd);
    socket.pause();
  };
  const onData = (chunk: Buffer) => {
    let start = 0;
    while (!done) {
      const newline = chunk.indexOf(0x0a, start);
      const end = newline === -1 ? chunk.length : newline;
      if (length + end - start > maxBytes) {
        finish();
        return onTooLong();
      }
      if (end > start) chunks.push(chunk.subarray(start, end));
      length += end - start;
      if (newline === -1) return;
      const line = Buffer.concat(chunks, length).toString('utf8');
      chunks = [];
      length = 0;
      start = newline + 1;
      if (!onLine(line)) finish();
    }
  };
  const onEnd = () => {
    if (done) return;
    finish();
    if (length > 0 && !onLine(Buffer.concat(chunks, length).toString('utf8'))) return;
    onLine(undefined);
  };
  socket.on('data', onData);
  socket.on('end', onEnd);
}
