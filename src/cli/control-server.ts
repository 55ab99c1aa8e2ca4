import { chmod, lstat, rm } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import { jsonSize } from '../protocol/json-size.js';
import { type ControlServerOptions, connectionRefuser, controlBounds } from './control-bounds.js';
import { NoHostError, request } from './control-client.js';
import {
  type ControlRequest,
  type ControlResponse,
  controlRequest,
  MAX_REQUEST_BYTES,
  MAX_RESPONSE_BYTES,
  type PingResult,
  REQUEST_FORMS,
  readLine,
} from './control-protocol.js';
import { StreamAnswer, writeStream } from './control-stream.js';
import { CliError, messageOf } from './errors.js';

/**
 * Answers one validated request; what it returns is the response's `result`, what it throws its `error`.
 * A StreamAnswer is written as item lines, then the response that ends them (control-stream.ts).
 */
export type ControlHandler = (request: ControlRequest) => unknown;

/** A listening control socket. */
export interface ControlServer {
  /** Stops listening, lets answers being computed finish, and removes the socket file. Idempotent. */
  close(): Promise<void>;
}

/** Milliseconds to wait for an existing socket's owner to answer a ping. */
const PROBE_TIMEOUT = 2000;

/**
 * Deals with whatever is at `socketPath` before listening there: nothing is
 * fine; a socket nobody answers on was left by a host that died and is
 * removed; a live host, another program's socket or a file is refused.
 */
async function clearPath(socketPath: string, probeTimeout: number): Promise<void> {
  let stats: Awaited<ReturnType<typeof lstat>>;
  try {
    stats = await lstat(socketPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new CliError(`cannot check the control socket ${socketPath}: ${messageOf(error)}`);
  }
  if (!stats.isSocket())
    throw new CliError(
      `${socketPath} exists and is not a socket; remove it if it is yours, or choose another path with --socket PATH`,
    );
  let answer: unknown;
  try {
    answer = await request(socketPath, { command: 'ping' }, { timeout: probeTimeout });
  } catch (error) {
    if (error instanceof NoHostError) {
      await rm(socketPath, { force: true });
      return;
    }
    throw new CliError(
      `something is listening on ${socketPath} but does not answer as a jailthread host (${messageOf(error)}); choose another path with --socket PATH`,
    );
  }
  const pid = (answer as Partial<PingResult> | undefined)?.pid;
  throw new CliError(
    `another jailthread host is running on ${socketPath} (pid ${typeof pid === 'number' ? pid : 'unknown'}); stop it with \`jailthread stop --socket ${socketPath}\`, or choose another path with --socket PATH`,
  );
}

function describeInvalid(data: unknown): string {
  const command = (data as { command?: unknown } | null)?.command;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return 'is not a JSON object';
  if (typeof command !== 'string') return "has no 'command' string";
  return `is not a valid '${command}' request`;
}

/** How far past MAX_RESPONSE_BYTES an answer is measured, and at most stringified. */
const MEASURED_RESPONSE_BYTES = 4 * MAX_RESPONSE_BYTES;

/** The response as one line: an answer too large for the client to read becomes an error saying so. */
function responseLine(response: ControlResponse, command: string | undefined): string {
  const tooLarge = (size: string) =>
    JSON.stringify({
      ok: false,
      error: `the answer to '${command ?? 'the request'}' is ${size}, over the control socket's limit of ${MAX_RESPONSE_BYTES}; ask for less (e.g. one jail's status)`,
    });
  // Measured before it is expanded: an answer made of holes (a sparse array) is gigabytes of JSON. The walk
  // goes a little past the limit, so that an answer only somewhat too large is told its exact size.
  const size = jsonSize(response, MEASURED_RESPONSE_BYTES);
  if ('over' in size) return tooLarge(size.over);
  let line: string;
  try {
    line = JSON.stringify(response);
  } catch (error) {
    return JSON.stringify({ ok: false, error: `the answer cannot be sent as JSON: ${messageOf(error)}` });
  }
  const bytes = Buffer.byteLength(line);
  if (bytes <= MAX_RESPONSE_BYTES) return line;
  return tooLarge(`${bytes} bytes of JSON`);
}

/**
 * Listens for control requests on the Unix socket `socketPath`, readable and
 * writable by this user only (mode 0600). One request per connection: a line
 * of JSON, answered with `{ ok: true, result }` or `{ ok: false, error }`. A
 * malformed request gets an error response; it never reaches `handler`.
 * Every client is bounded: `maxConnections` at once, `MAX_REQUEST_BYTES` per
 * request, `timeout` to send it and to read the answer.
 * @throws CliError when another host runs there, or the path is taken by something else
 */
export async function listenControl(
  socketPath: string,
  handler: ControlHandler,
  options: ControlServerOptions = {},
): Promise<ControlServer> {
  const bounds = controlBounds(options);
  const { maxConnections, timeout } = bounds;
  await clearPath(socketPath, PROBE_TIMEOUT);

  const connections = new Set<Socket>();
  // Connections that sent their request: close() lets their answer be computed and written.
  const answering = new Set<Socket>();
  let closing: Promise<void> | undefined;
  // Aborted by close(): streams under way end, so their connections close.
  const closed = new AbortController();

  /** Writes `response` and closes: the client has `timeout` ms to take it, then it is dropped. */
  const respond = (socket: Socket, response: ControlResponse, command?: string) => {
    // The client left while its answer was computed: nothing to write, and no timer to leave behind.
    if (socket.destroyed) return;
    const timer = setTimeout(() => socket.destroy(), timeout);
    socket.once('close', () => clearTimeout(timer));
    socket.end(`${responseLine(response, command)}\n`);
    // Once written, the answer is the client's; waiting for its side to end would let it hold close() up.
    socket.destroySoon();
  };

  const refuse = connectionRefuser(bounds);

  const serve = (socket: Socket) => {
    if (connections.size >= maxConnections) return refuse(socket);
    connections.add(socket);
    socket.once('close', () => {
      connections.delete(socket);
      answering.delete(socket);
    });
    // A client that vanishes mid-answer is not the host's problem.
    socket.on('error', () => socket.destroy());
    // An absolute deadline, not an idle timeout: a byte now and then must not hold the connection forever.
    const deadline = setTimeout(() => {
      if (take())
        respond(socket, {
          ok: false,
          error: `control request not received within ${timeout} ms; send the whole line right after connecting`,
        });
    }, timeout);
    socket.once('close', () => clearTimeout(deadline));
    let received = false;

    /** The connection's one request has arrived: nothing more is read, and close() waits for its answer. */
    const take = (): boolean => {
      if (received) return false;
      received = true;
      clearTimeout(deadline);
      answering.add(socket);
      socket.pause();
      return true;
    };

    const handle = (text: string) => {
      if (!take()) return;
      let data: unknown;
      try {
        data = JSON.parse(text);
      } catch {
        return respond(socket, {
          ok: false,
          error: `control request is not JSON; send one line, e.g. {"command":"status"}`,
        });
      }
      const parsed = controlRequest.safeParse(data);
      if (!parsed.success)
        return respond(socket, {
          ok: false,
          error: `control request ${describeInvalid(data)}; send one of ${REQUEST_FORMS}`,
        });
      const { command } = parsed.data;
      Promise.resolve()
        .then(() => handler(parsed.data))
        .then(
          async (result) => {
            if (!(result instanceof StreamAnswer)) return respond(socket, { ok: true, result }, command);
            respond(socket, await writeStream(socket, result, { command, timeout, ended: closed.signal }), command);
          },
          (error: unknown) => respond(socket, { ok: false, error: messageOf(error) }, command),
        );
    };

    // A request without its final newline still counts once the client ends its side.
    readLine(socket, MAX_REQUEST_BYTES, handle, () => {
      if (take())
        respond(socket, {
          ok: false,
          error: `control request is longer than ${MAX_REQUEST_BYTES} bytes; send one short line`,
        });
    });
  };

  // allowHalfOpen: a client may end its side right after the request and still await the answer.
  const server = createServer({ allowHalfOpen: true }, serve);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // The socket must never exist with wider permissions, even for an
    // instant: chmod after listen leaves a window in which another user can
    // connect. Node binds the socket synchronously inside listen(), so a
    // umask set just around that call is in force for the bind and no other
    // JavaScript runs meanwhile. (Creating it inside the private folder
    // covers the default path but not --socket in a shared folder.)
    const previous = process.umask(0o177);
    try {
      server.listen(socketPath, () => {
        server.off('error', reject);
        resolve();
      });
    } finally {
      process.umask(previous);
    }
  }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EADDRINUSE')
      throw new CliError(`${socketPath} was taken by another process while this host started; try again`);
    throw new CliError(`cannot listen on ${socketPath}: ${error.message}; choose another path with --socket PATH`);
  });
  // After listening, accept errors (EMFILE) are transient and must not crash the host.
  server.on('error', () => {});
  const { ino } = await lstat(socketPath);
  // A no-op where umask applied; a guarantee where a platform ignores it for sockets.
  await chmod(socketPath, 0o600);

  return {
    close() {
      closing ??= (async () => {
        const done = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const socket of connections) if (!answering.has(socket)) socket.destroy();
        closed.abort(new CliError('the host is closing its control socket'));
        await done;
        // Node removes the socket file on close; make sure, but never remove a newer host's socket.
        const now = await lstat(socketPath).catch(() => undefined);
        if (now?.ino === ino) await rm(socketPath, { force: true });
      })();
      return closing;
    },
  };
}
