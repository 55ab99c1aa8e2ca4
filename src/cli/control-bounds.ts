import type { Socket } from 'node:net';
import { MAX_TIMER_MS, TIMER_BOUND } from '../options.js';
import { MAX_REQUEST_BYTES, readLine } from './control-protocol.js';

/** Options of `listenControl()`: what one client may make the host spend. */
export interface ControlServerOptions {
  /**
   * Connections served at once. One more gets an error answer and is closed
   * at once: each open connection holds a file descriptor and up to
   * `MAX_REQUEST_BYTES` of its request.
   * @default 32
   */
  maxConnections?: number;
  /**
   * Milliseconds a client has, from connecting, to send its whole request
   * line; and again, once the answer is written, to read it. A client late
   * for either is disconnected. The time the host takes to compute the answer
   * (stop, restart) is not counted.
   * @default 10000
   */
  timeout?: number;
}

/** Default of `ControlServerOptions.maxConnections`. */
export const DEFAULT_MAX_CONNECTIONS = 32;
/** Default of `ControlServerOptions.timeout`. */
export const DEFAULT_CONTROL_TIMEOUT = 10_000;

/** Milliseconds a refused connection has to send its request (which is read and dropped) before it is closed. */
const REFUSAL_GRACE = 1000;

/**
 * The options with their defaults filled in, checked before anything listens,
 * so a bad bound is the caller's error and never a server without one.
 * @throws RangeError naming the option when it is not a whole number above 0
 */
export function controlBounds(options: ControlServerOptions): Required<ControlServerOptions> {
  const maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  const timeout = options.timeout ?? DEFAULT_CONTROL_TIMEOUT;
  for (const [name, value] of [
    ['maxConnections', maxConnections],
    ['timeout', timeout],
  ] as const)
    if (!Number.isInteger(value) || value <= 0)
      throw new RangeError(`listenControl(): options.${name} must be a whole number above 0, got ${String(value)}`);
  if (timeout > MAX_TIMER_MS)
    throw new RangeError(`listenControl(): options.timeout must be at most ${TIMER_BOUND}, got ${timeout}`);
  return { maxConnections, timeout };
}

/**
 * Makes the function that turns away a connection past `maxConnections`.
 * Refused connections are bounded too, since each holds a file descriptor
 * until it closes: at most `maxConnections` of them are answered at once,
 * each for at most `REFUSAL_GRACE` (or `timeout`, if shorter).
 */
export function connectionRefuser({
  maxConnections,
  timeout,
}: Required<ControlServerOptions>): (socket: Socket) => void {
  const refusing = new Set<Socket>();
  const refusal = `${JSON.stringify({
    ok: false,
    error: `the host is serving ${maxConnections} control connections already (its limit); try again once they are answered`,
  })}\n`;

  /**
   * Answers a connection past the limit with an error and closes it once its
   * request is read: closing with the request unread resets the connection,
   * and the client could lose the answer. Past as many refusals in progress
   * as connections served, a flood gets no answer, only the close.
   */
  return (socket: Socket) => {
    socket.on('error', () => socket.destroy());
    if (refusing.size >= maxConnections) {
      socket.destroy();
      return;
    }
    refusing.add(socket);
    const grace = setTimeout(() => socket.destroy(), Math.min(timeout, REFUSAL_GRACE));
    socket.once('close', () => {
      refusing.delete(socket);
      clearTimeout(grace);
    });
    socket.end(refusal);
    const close = () => socket.destroySoon();
    readLine(socket, MAX_REQUEST_BYTES, close, close);
  };
}
