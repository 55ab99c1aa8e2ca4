import { abortError } from '../abort.js';
import type { AnswerCheck, Requests } from './requests.js';

/** How a caller may end its request early, and how the callee hears of it. */
export interface Cancelling {
  signal: AbortSignal | undefined;
  /** Sends the callee a `cancel` frame for request `id`. */
  cancel(id: number, reason: 'aborted' | 'timed-out'): void;
}

/**
 * Opens a request its caller may abort. An abort rejects it at once with an
 * AbortError and tells the callee, as its timeout running out does; a signal
 * already aborted rejects without sending. Either way the request leaves the
 * table at once, so a late answer finds nothing and is dropped.
 */
export function openCancellable(
  requests: Requests,
  call: string,
  timeout: number,
  timedOut: () => Error,
  send: (id: number) => void,
  { signal, cancel }: Cancelling,
  check?: AnswerCheck,
): Promise<unknown> {
  if (signal?.aborted === true) return Promise.reject(abortError(call, signal));
  let id = 0;
  const expired = () => {
    cancel(id, 'timed-out');
    return timedOut();
  };
  const opened = requests.open(
    call,
    timeout,
    expired,
    (assigned) => {
      id = assigned;
      send(assigned);
    },
    check,
  );
  if (signal === undefined) return opened;
  const off = onAbort(signal, () => {
    requests.settle(id, abortError(call, signal));
    cancel(id, 'aborted');
  });
  return opened.finally(off);
}

// One listener per signal, however many calls share it: a signal that ends a
// whole task (a shutdown's, say) is passed to thousands of calls, and a
// listener each would trip Node's MaxListenersExceededWarning at the eleventh.
const waiting = new WeakMap<AbortSignal, Set<() => void>>();

/** Runs `listener` once `signal` aborts; returns a function that removes it. */
export function onAbort(signal: AbortSignal, listener: () => void): () => void {
  let listeners = waiting.get(signal);
  if (listeners === undefined) {
    const set = new Set<() => void>();
    listeners = set;
    waiting.set(signal, set);
    signal.addEventListener(
      'abort',
      () => {
        waiting.delete(signal);
        for (const each of set) each();
      },
      { once: true },
    );
  }
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * The callee's side: one AbortController per call being answered, aborted by
 * the caller's `cancel`, or all at once when this side stops.
 */
export class CallSignals {
  readonly #controllers = new Map<number, AbortController>();

  /** The signal handed to the method answering call `id`. */
  begin(id: number): AbortSignal {
    const controller = new AbortController();
    this.#controllers.set(id, controller);
    return controller.signal;
  }

  /** The call is answered: true if its answer is still wanted (it was not cancelled meanwhile). */
  end(id: number): boolean {
    return this.#controllers.delete(id);
  }

  /**
   * The caller cancelled call `id`: true if it was being answered. `reason` is made only then: an error
   * captures a stack, and a child may send cancels for unknown ids as fast as it likes.
   */
  cancel(id: number, reason: () => unknown): boolean {
    const controller = this.#controllers.get(id);
    if (controller === undefined) return false;
    this.#controllers.delete(id);
    controller.abort(reason());
    return true;
  }

  /** Aborts every call being answered (its answers are still sent, if anyone waits). */
  abortAll(reason: () => unknown): void {
    for (const controller of this.#controllers.values()) controller.abort(reason());
  }
}
