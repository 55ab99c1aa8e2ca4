// The thread's state fields, defined here once: the init frame's schema is
// checked against these types (protocol/init-frame.ts), the `set` frame's is
// picked from that schema, and the handle, the child's runtime and the views
// use these types. Plain types rather than inferred from the schemas, and
// outside src/protocol, because published declarations (view.ts, context.ts)
// name them: those must import neither zod, which the package bundles, nor
// the protocol, which is not public.

/** A thread's state as the host hands it to its child when it starts it. */
export interface ThreadState {
  name: string;
  daemon: boolean;
  idle: boolean;
  sleeptime: number;
  active: boolean;
  /** Milliseconds a child whose host has gone waits for run() to return before it exits. */
  stopTimeout: number;
}

/** The fields either side may change while the thread runs, and the other mirrors. */
export type MutableField = 'name' | 'idle' | 'sleeptime' | 'active';

/** A change to them: the protocol's `set` frame without its tag. */
export type StatePatch = { [K in MutableField]?: ThreadState[K] | undefined };
