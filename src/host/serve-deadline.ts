import { DEFAULT_CALL_TIMEOUT, MAX_TIMER_MS } from '../options.js';

/**
 * How long the host serves a child's call: the call's own timeout, as the
 * child sent it (a child that waits no longer has no use for a later answer),
 * bounded to what a timer takes; Infinity is no deadline; a call without one
 * gets the default call timeout.
 */
export function serveDeadline(timeout: number | undefined): number {
  if (timeout === undefined || Number.isNaN(timeout)) return DEFAULT_CALL_TIMEOUT;
  if (timeout === Number.POSITIVE_INFINITY) return timeout;
  return Math.min(Math.max(0, timeout), MAX_TIMER_MS);
}

/**
 * `work`, or `late()` rejected once `ms` have passed: the host stops waiting
 * for its own function, so a child's call slot is freed on time and never
 * counts against the child while the host is the slow one.
 */
export function withinDeadline<T>(work: Promise<T>, ms: number, late: () => Error): Promise<T> {
  if (ms === Number.POSITIVE_INFINITY) return work;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(late()), ms);
  });
  // A late rejection of the work must not go unhandled once the deadline has won.
  work.catch(() => undefined);
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
