/** How a child ended, in words for error messages. */
export function describeExit(exitCode: number | null, signalCode: NodeJS.Signals | null): string {
  if (signalCode !== null) return `killed by ${signalCode}`;
  if (exitCode === null) return 'never ran';
  return `exit code ${exitCode}`;
}
