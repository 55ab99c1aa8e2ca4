/**
 * A call ended by its `AbortSignal`, shaped as Node's own: `name`
 * `'AbortError'`, `code` `'ABORT_ERR'`, `cause` the signal's reason.
 */
export class AbortError extends Error {
  readonly code = 'ABORT_ERR';
  override name = 'AbortError';
}

/** The `signal` option, checked: undefined, or an AbortSignal; anything else is a TypeError naming `where`. */
export function checkSignal(signal: unknown, where: string): AbortSignal | undefined {
  if (signal === undefined || signal instanceof AbortSignal) return signal;
  throw new TypeError(
    `${where}: signal must be an AbortSignal (from new AbortController().signal or AbortSignal.timeout()), got ${typeof signal}.`,
  );
}

/** The error a call gets when `signal` aborts it. */
export const abortError = (where: string, signal: AbortSignal): AbortError =>
  new AbortError(`${where} was aborted by its signal; the other side was told to stop.`, { cause: signal.reason });
