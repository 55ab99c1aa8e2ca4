import type { ExitReason } from '../thread-model.js';

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
