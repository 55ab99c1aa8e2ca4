import type { Socket } from 'node:net';
import * as z from 'zod/mini';

// One request per connection, one response back, each a line of JSON: a
// shell user can talk to the host with `nc -U` or `socat`, and there is no
// framing to get wrong.

const name = z.string().check(z.minLength(1));

/** A request to the host's control socket. */
export const controlRequest = z.discriminatedUnion('command', [
  z.strictObject({ command: z.literal('ping') }),
  z.strictObject({ command: z.literal('status'), name: z.optional(name) }),
  z.strictObject({ command: z.literal('idle'), name, idle: z.boolean() }),
  z.strictObject({ command: z.literal('stop'), name: z.optional(name) }),
  z.strictObject({ command: z.literal('restart'), name }),
]);

/** A validated control request. */
export type ControlRequest = z.infer<typeof controlRequest>;

/** The host's answer to one request. */
export const controlResponse = z.union([
  z.strictObject({ ok: z.literal(true), result: z.optional(z.unknown()) }),
  z.strictObject({ ok: z.literal(false), error: z.string() }),
]);

/** A validated control response. */
export type ControlResponse = z.infer<typeof controlResponse>;

/** What `ping` answers, so a starting host can name the one already running. */
export interface PingResult {
  pid: number;
}

/** Longest request or response line accepted; status rows are small, and a peer that never sends '\n' must not grow memory without bound. */
export const MAX_LINE = 1 << 20;

/** The valid requests, for error messages. */
export const REQUEST_FORMS =
  '{"command":"ping"}, {"command":"status","name"?}, {"command":"idle","name","idle":boolean}, {"command":"stop","name"?}, {"command":"restart","name"}';

/**
 * Reads the one line a connection carries: `onLine` gets it without its
 * newline (or, if the other side ends first, what it sent), `onTooLong` fires
 * once the text passes MAX_LINE without one. Either may be called again; the
 * callers act on the first call.
 */
export function readLine(socket: Socket, onLine: (line: string) => void, onTooLong: () => void): void {
  let buffer = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    const newline = buffer.indexOf('\n');
    if (newline !== -1) onLine(buffer.slice(0, newline));
    else if (buffer.length > MAX_LINE) onTooLong();
  });
  socket.on('end', () => onLine(buffer));
}
