import { connect } from 'node:net';
import {
  type ControlRequest,
  controlResponse,
  MAX_REQUEST_BYTES,
  MAX_RESPONSE_BYTES,
  readLines,
  streamItem,
} from './control-protocol.js';
import { CliError } from './errors.js';

/** Nothing listens on the socket: the file is missing, or stale from a host that died. */
export class NoHostError extends CliError {
  override name = 'NoHostError';
}

/**
 * For requests that stop plugins (stop, restart): each may take its whole
 * shutdownTimeout, so the default 10 s would report a timeout while the host
 * is still doing what was asked.
 */
export const SLOW_REQUEST_TIMEOUT = 120_000;

/** What `request()` resolves with when the answer was a stream's items, all passed to `onItem`. */
export const STREAM_END: unique symbol = Symbol('the end of a stream');

/** Options of `request()`. */
export interface RequestOptions {
  /**
   * Milliseconds to wait for the answer, connecting included.
   * @default 10000
   */
  timeout?: number;
  /**
   * Takes the items of a stream's answer as they come: the timeout then
   * starts again at each one. A promise returned holds the next ones back
   * (and the timeout) until it settles, so a slow reader of the output slows
   * the host's stream down rather than piling its items up here. Without it,
   * an item line is not a response.
   */
  onItem?: (item: unknown) => Promise<void> | undefined;
}

const noHost = (socketPath: string) =>
  new NoHostError(`no jailthread host is running on ${socketPath}; start one with \`jailthread run CONFIG\``);

/**
 * Sends one request to the host on `socketPath` and returns its result.
 * @throws NoHostError when no host listens there
 * @throws CliError when the host answers with an error, answers something
 *   that is not a control response, or does not answer within the timeout
 */
export function request(socketPath: string, body: ControlRequest, options: RequestOptions = {}): Promise<unknown> {
  const timeout = options.timeout ?? 10_000;
  const line = JSON.stringify(body);
  const bytes = Buffer.byteLength(line);
  if (bytes > MAX_REQUEST_BYTES)
    return Promise.reject(
      new CliError(
        `the '${body.command}' request is ${bytes} bytes, over the control socket's limit of ${MAX_REQUEST_BYTES}; is the jail name right?`,
      ),
    );
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    let settled = false;
    const settle = (error: Error | undefined, result?: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(result);
    };
    const late = () =>
      settle(
        new CliError(
          `the jailthread host on ${socketPath} did not answer '${body.command}' within ${timeout} ms; it may be busy stopping plugins, so check with \`jailthread status\``,
        ),
      );
    let timer = setTimeout(late, timeout);
    const { onItem } = options;
    /** Takes one line; true while more are to come (the items of a stream). */
    const answer = (line: string | undefined): boolean => {
      if (line === undefined) {
        settle(
          new CliError(
            `the jailthread host on ${socketPath} closed the connection before it finished answering '${body.command}'; check it with \`jailthread status\``,
          ),
        );
        return false;
      }
      let data: unknown;
      try {
        data = JSON.parse(line);
      } catch {
        data = undefined;
      }
      if (onItem !== undefined && typeof data === 'object' && data !== null && 'item' in data) {
        const item = streamItem.safeParse(data);
        if (item.success) {
          clearTimeout(timer);
          const wait = onItem(item.data.item);
          if (wait === undefined) timer = setTimeout(late, timeout);
          else {
            socket.pause();
            void wait.then(() => {
              if (settled) return;
              timer = setTimeout(late, timeout);
              socket.resume();
            });
          }
          return true;
        }
      }
      const parsed = controlResponse.safeParse(data);
      if (!parsed.success) {
        settle(
          new CliError(
            `${socketPath} answered with something that is not a jailthread control response; is it another program's socket? Pass the right one with --socket PATH`,
          ),
        );
        return false;
      }
      if (parsed.data.ok && onItem !== undefined && parsed.data.items !== undefined) settle(undefined, STREAM_END);
      else if (parsed.data.ok) settle(undefined, parsed.data.result);
      else settle(new CliError(parsed.data.error));
      return false;
    };
    socket.on('connect', () => socket.write(`${line}\n`));
    // The host never writes a longer line: whatever does is not a jailthread host of this version.
    readLines(socket, MAX_RESPONSE_BYTES, answer, () =>
      settle(
        new CliError(
          `${socketPath} answered with a line over ${MAX_RESPONSE_BYTES} bytes, which no jailthread host of this version sends; is it another program's socket, or an older host? Pass the right one with --socket PATH`,
        ),
      ),
    );
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ECONNREFUSED') settle(noHost(socketPath));
      else if (error.code === 'EACCES')
        settle(
          new CliError(
            `permission denied connecting to ${socketPath}: the host runs as another user; run this command as that user`,
          ),
        );
      else if (error.code === 'ENOTSOCK' || error.code === 'ENOTDIR')
        settle(new CliError(`${socketPath} is not a socket; pass the host's control socket with --socket PATH`));
      else settle(new CliError(`cannot reach the jailthread host on ${socketPath}: ${error.message}`));
    });
  });
}
