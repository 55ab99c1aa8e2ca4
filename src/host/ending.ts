import type { ExitReason } from '../thread-model.js';
import { classifyExit } from './exit-reason.js';

/**
 * Every way the host sees a child end, besides exiting by itself (execa's
 * lib/terminate): each is one contender, and the first to claim the end is
 * the one recorded.
 * - `start-failed`: the child could not be made or could not start the thread
 *   (spawn error, `start-failed` frame, an init frame the channel refused);
 * - `out-of-memory`: V8's heap-limit message on its stderr;
 * - `misbehaved`: killed for breaking the protocol or a bound, or for living
 *   on after its channel was over;
 * - `start-timeout`: run() had not begun within the thread's `startTimeout`;
 * - `killed`: the host sent SIGKILL (kill(), stop()'s last step).
 */
export type Contender =
  | { by: 'start-failed'; error: Error }
  | { by: 'start-timeout'; ms: number }
  | { by: 'out-of-memory' }
  | { by: 'misbehaved'; problem: string }
  | { by: 'killed' };

/** The contender that claimed a child's end, and the one timer that can still make one. */
export class Ending {
  #winner: Contender | undefined;
  #deadline: NodeJS.Timeout | undefined;
  /** True once the child has exited: read from the thread's life, which is the one place that says so. */
  readonly #over: () => boolean;
  #killSent = false;

  constructor(over: () => boolean) {
    this.#over = over;
  }

  /**
   * Records `contender` if it wins: the first claim does, except that the
   * host's verdict `misbehaved` outranks a heap-limit message (which a child
   * can print) and a plain kill; nothing outranks a failed start, whose
   * error is what start() must reject with. True if it won.
   */
  claim(contender: Contender): boolean {
    if (this.#over()) return false;
    const held = this.#winner?.by;
    const wins =
      held === undefined || (contender.by === 'misbehaved' && (held === 'out-of-memory' || held === 'killed'));
    if (wins) this.#winner = contender;
    if (contender.by === 'killed' || contender.by === 'misbehaved' || contender.by === 'start-timeout') {
      this.#killSent = true;
    }
    return wins;
  }

  /** No contender has claimed the end: if the child has ended, it ended by itself or from outside. */
  get unclaimed(): boolean {
    return this.#winner === undefined;
  }

  /** SIGKILL has been sent, whoever won: nothing more can be written to the child. */
  get killSent(): boolean {
    return this.#killSent;
  }

  /** The error that made the start fail, if that is how the child ended. */
  get startError(): Error | undefined {
    return this.#winner?.by === 'start-failed' ? this.#winner.error : undefined;
  }

  /** The start deadline that ended the child, in ms, if that is how it ended. */
  get startTimedOut(): number | undefined {
    return this.#winner?.by === 'start-timeout' ? this.#winner.ms : undefined;
  }

  /**
   * Gives a child whose channel is over `ms` to exit; `late` runs if it has
   * not. Armed once: the first deadline stands.
   */
  expectExit(ms: number, late: () => void): void {
    if (this.#over() || this.#deadline !== undefined) return;
    this.#deadline = setTimeout(late, ms).unref();
  }

  /**
   * The child has exited (the life says so from now on, and no contender can
   * claim any more): the deadline is cleared. Returns how it ended, read from the winner and from how the
   * process actually ended (a kill for misbehaving that the child beat to its
   * exit is not what ended it).
   */
  exited(exitCode: number | null, signalCode: NodeJS.Signals | null): ExitReason {
    clearTimeout(this.#deadline);
    const by = this.#winner?.by;
    return classifyExit(exitCode, signalCode, by === 'out-of-memory', by === 'misbehaved');
  }
}
