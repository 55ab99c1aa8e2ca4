import { createServer, type Server } from 'node:http';
import { isIP } from 'node:net';
import { inline } from '../terminal-text.js';
import { messageOf, UsageError } from './errors.js';

/** Where `run --metrics` listens. */
export interface MetricsAddress {
  host: string;
  port: number;
}

/** Clients served at once, and how long each may take: a scraper is one client every few seconds. */
const MAX_CONNECTIONS = 16;
const CLIENT_TIMEOUT = 10_000;

/**
 * `HOST:PORT`, `[IPv6]:PORT`, `:PORT` or `PORT` (0: any free port, which
 * `run` prints as it starts); without a host, loopback
 * (127.0.0.1): the metrics are served to other machines only when the
 * operator names an address.
 */
export function parseMetricsAddress(text: string): MetricsAddress {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d+)$/.exec(text) ?? /^()()(\d+)$/.exec(text);
  const bad = (why: string) =>
    new UsageError(`--metrics ${inline(text)}: ${why}; e.g. --metrics 127.0.0.1:9464 or --metrics :9464`, 'run');
  if (match === null) throw bad('expected HOST:PORT');
  const host = match[1] || match[2] || '127.0.0.1';
  const port = Number(match[3]);
  if (port > 65_535) throw bad('the port must be from 0 (any free one) to 65535');
  if (match[1] !== undefined && match[1] !== '' && isIP(host) !== 6) throw bad(`'${host}' is not an IPv6 address`);
  return { host, port };
}

/**
 * Serves `GET /metrics` with what `render` gives, and nothing else. Resolves
 * once listening; rejects with a message naming the address when it cannot
 * be bound (in use, not this machine's, not allowed).
 */
export function serveMetrics(address: MetricsAddress, render: () => Promise<string>): Promise<Server> {
  const server = createServer(
    { requestTimeout: CLIENT_TIMEOUT, headersTimeout: CLIENT_TIMEOUT },
    (request, response) => {
      if (request.method !== 'GET' || (request.url ?? '').split('?')[0] !== '/metrics') {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('jailthread serves /metrics only\n');
        return;
      }
      render().then(
        (text) => response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(text),
        (error: unknown) => response.writeHead(500, { 'content-type': 'text/plain' }).end(`${messageOf(error)}\n`),
      );
    },
  );
  server.maxConnections = MAX_CONNECTIONS;
  server.keepAliveTimeout = CLIENT_TIMEOUT;
  return new Promise((resolve, reject) => {
    server.once('error', (error) =>
      reject(
        new UsageError(
          `--metrics ${inline(address.host)}:${address.port} cannot be bound (${messageOf(error)}); choose a free port on an address of this machine`,
          'run',
        ),
      ),
    );
    server.listen(address.port, address.host, () => resolve(server));
  });
}
