// The plain types of the thread model that every layer shares: the public
// JailThread, the host's side, the supervisor and the child. Types only, and
// importing nothing, so that no layer reaches into another for them.

/** Where the child finds the thread's class. */
export interface ModuleSpec {
  module: string;
  export?: string;
  /** For a class started from the host: picks the export whose class has this name. */
  className?: string;
}

/**
 * How a child ended: `'exit'` by itself (see `exitCode`), `'signal'` killed
 * (see `signalCode`), `'out-of-memory'` past its V8 heap limit,
 * `'misbehaved'` killed by the host for breaking the protocol or one of its
 * bounds (the thread's `'error'` event has the ProtocolError saying which), or
 * `'spawn-failed'` never ran.
 */
export type ExitReason = 'exit' | 'signal' | 'out-of-memory' | 'misbehaved' | 'spawn-failed';
