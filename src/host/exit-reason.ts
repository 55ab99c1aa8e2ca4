/**
 * How a child ended: `'exit'` by itself (see `exitCode`), `'signal'` killed
 * (see `signalCode`), `'out-of-memory'` past its V8 heap limit,
 * `'misbehaved'` killed by the host for breaking the protocol or one of its
 * bounds (the thread's `'error'` event has the ProtocolError saying which), or
 * `'spawn-failed'` never ran.
 */
export type ExitReason = 'exit' | 'signal' | 'out-of-memory' | 'misbehaved' | 'spawn-failed';

export function classifyExit(
  exitCode: number | null,
  signalCode: NodeJS.Signals | null,
  outOfMemory: boolean,
  misbehaved = false,
): ExitReason {
  if (misbehaved && signalCode === 'SIGKILL') return 'misbehaved';
  if (outOfMemory) return 'out-of-memory';
  if (signalCode !== null) return 'signal';
  return exitCode === null ? 'spawn-failed' : 'exit';
}

/** How a child ended, in words for error messages. */
export function describeExit(reason: ExitReason, exitCode: number | null, signalCode: NodeJS.Signals | null): string {
  switch (reason) {
    case 'out-of-memory':
      return `ran out of memory (V8 heap limit), ${signalCode ?? `exit code ${exitCode}`}`;
    case 'signal':
      return `killed by ${signalCode}`;
    case 'misbehaved':
      return 'killed by the host for misbehaving (see its ProtocolError)';
    case 'spawn-failed':
      return 'never ran';
    case 'exit':
      return `exit code ${exitCode}`;
  }
}
