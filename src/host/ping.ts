import { pongValue } from '../protocol/frames.js';
import { describeIssues } from '../protocol/issues.js';
import type { HostExchange } from './exchange.js';
import { residentBytes } from './rss.js';

/**
 * A health answer. `rss` is measured by the host (`/proc/<pid>/status`) where
 * there is a `/proc`, so limits hold against a child that lies; elsewhere, and
 * for `heapUsed` always, it is the child's own report.
 */
export interface Pong {
  rss: number;
  heapUsed: number;
}

/** Resolves with the child's memory once its event loop answers. */
export async function ping(exchange: HostExchange, pid: number | undefined, timeout: number): Promise<Pong> {
  const pong = (await exchange.request('ping', timeout, 'the loop is busy by design', { kind: 'ping' }, (value) => {
    const parsed = pongValue().safeParse(value);
    return parsed.success ? undefined : `value: ${describeIssues(parsed.error)}`;
  })) as Pong;
  const rss = pid === undefined ? undefined : await residentBytes(pid);
  return rss === undefined ? pong : { rss, heapUsed: pong.heapUsed };
}
