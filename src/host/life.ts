/**
 * A thread's life as the host sees it, in one value (jest-worker's
 * WorkerStates): `'starting'` until the child says run() has begun,
 * `'running'`, `'stopping'` once stop() is called, and `'exited'` for good.
 * A stop() that comes before run() has begun is `'cancelling'`: the start can
 * still succeed (the child may get there first) or fail, and the thread is
 * stopping either way.
 */
export type LifeState = 'starting' | 'running' | 'cancelling' | 'stopping' | 'exited';

/** What moves a life on: the child's `started` frame, a stop() call, the child's exit. */
export type LifeEvent = 'started' | 'stop' | 'exit';

const NEXT: Record<LifeState, Record<LifeEvent, LifeState>> = {
  starting: { started: 'running', stop: 'cancelling', exit: 'exited' },
  running: { started: 'running', stop: 'stopping', exit: 'exited' },
  cancelling: { started: 'stopping', stop: 'cancelling', exit: 'exited' },
  stopping: { started: 'stopping', stop: 'stopping', exit: 'exited' },
  exited: { started: 'exited', stop: 'exited', exit: 'exited' },
};

/** Where `event` takes a life in state `state`; an event that does not apply leaves it where it is. */
export function nextLife(state: LifeState, event: LifeEvent): LifeState {
  return NEXT[state][event];
}

/** run() has not begun (yet): an exit in this state is a failed start. */
export function beforeRun(state: LifeState): boolean {
  return state === 'starting' || state === 'cancelling';
}

/** The host has asked the thread to stop: the child can no longer make it active. */
export function stopRequested(state: LifeState): boolean {
  return state === 'cancelling' || state === 'stopping';
}
