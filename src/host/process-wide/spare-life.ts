/**
 * A spare's life, in one value: `'starting'` from its fork until it says it
 * is ready; `'ready'` in its pool, to be adopted; `'taken'` by a start, whose
 * controller owns it from then on; `'dismissed'` once its pool has ended it
 * (a lowered target, a broken protocol, a 'bye'), so nobody can adopt it
 * while it dies; `'gone'` once its exit is seen.
 */
export type SpareState = 'starting' | 'ready' | 'taken' | 'dismissed' | 'gone';

/** What moves a spare on: its `ready` frame, a start taking it, its pool ending it, its exit. */
export type SpareEvent = 'ready' | 'take' | 'dismiss' | 'exit';

const NEXT: Record<SpareState, Partial<Record<SpareEvent, SpareState>>> = {
  starting: { ready: 'ready', dismiss: 'dismissed', exit: 'gone' },
  ready: { take: 'taken', dismiss: 'dismissed', exit: 'gone' },
  // Its thread's controller owns it now: the pool no longer follows it.
  taken: {},
  dismissed: { exit: 'gone' },
  gone: {},
};

/** Where `event` takes a spare in state `state`; an event that does not apply leaves it where it is. */
export function nextSpare(state: SpareState, event: SpareEvent): SpareState {
  return NEXT[state][event] ?? state;
}

/** A spare in this state is its pool's: counted toward the target, and ended with the pool. */
export function inPool(state: SpareState): boolean {
  return state === 'starting' || state === 'ready';
}
