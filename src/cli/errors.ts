/**
 * Bad command-line input: an unknown command or option, a missing or extra
 * argument, a bad value. The CLI prints the message and a `--help` hint, and
 * exits with code 2.
 */
export class UsageError extends Error {
  override name = 'UsageError';
  /**
   * @param message what was wrong and the fix, without the `--help` hint
   * @param command the sub-command whose `--help` the hint names, if known
   */
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
  }
}

/**
 * A failure at run time, after the input was understood: no host on the
 * socket, an unknown jail, a host-side error. The CLI exits with code 1.
 */
export class CliError extends Error {
  override name = 'CliError';
}

/** The message of anything thrown, for one-line reports. */
export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
