import { inline, jsonSafe } from '../../terminal-text.js';
import type { Command, CommandContext } from '../command.js';
import { clientSocket } from '../command.js';
import { request, STREAM_END } from '../control-client.js';
import { MAX_CALL_TIMEOUT } from '../control-protocol.js';
import { UsageError } from '../errors.js';
import { formatJson } from '../format-status.js';

/** Writes `text`; a promise of the drain when the output is full and says when it drains (a pipe to a slow reader). */
function drained(stdout: CommandContext['io']['stdout'], text: string): Promise<void> | undefined {
  const full = stdout.write(text) === false;
  const events = stdout as Partial<Pick<NodeJS.WritableStream, 'once'>>;
  if (!full || typeof events.once !== 'function') return undefined;
  return new Promise((resolve) => events.once?.('drain', () => resolve()));
}

/** `jailthread call NAME METHOD [JSON]`: calls a method of a plugin's contract, as pm2's `trigger` does. */
export const callCommand: Command = {
  name: 'call',
  synopsis: 'NAME METHOD [JSON]',
  summary: "call a method of a plugin's contract and print its JSON output",
  details: `Calls METHOD of plugin NAME with JSON as its input (none if left out),
validated by the plugin's contract both ways, as host.call() does; prints
the output as JSON. A stream method (one whose contract gives \`yields\`) is
read as host.stream() reads it: one line of JSON per item, printed as it
comes; Ctrl-C ends the stream in the plugin. The plugin's error, a
validation error or a timeout is printed with exit code 1.

Options:
  --timeout MS   how long the call may take, or a stream's wait for each
                 item, 1 to 600000 (default 5000)

Examples:
  jailthread call recorder ban '{"jail":"sshd","ip":"203.0.113.7"}'
  jailthread call sshd status
  jailthread call sshd tail '{"lines":10}'`,
  options: { timeout: { type: 'string' } },
  positionals: { min: 2, names: ['NAME', 'METHOD', 'JSON'] },
  async run(context) {
    const [name, method, json] = context.positionals as [string, string, string | undefined];
    let input: unknown;
    if (json !== undefined) {
      try {
        input = JSON.parse(json);
      } catch (error) {
        throw new UsageError(
          `the input is not JSON (${(error as Error).message}); quote it for the shell, e.g. '{"ip":"203.0.113.7"}'`,
          'call',
        );
      }
    }
    const raw = context.values.timeout;
    const timeout = raw === undefined ? undefined : Number(raw);
    if (timeout !== undefined && (!/^\d+$/.test(String(raw)) || timeout < 1 || timeout > MAX_CALL_TIMEOUT))
      throw new UsageError(
        `--timeout must be a whole number of milliseconds from 1 to ${MAX_CALL_TIMEOUT}, got '${inline(String(raw))}'`,
        'call',
      );
    const answer = await request(
      await clientSocket(context),
      {
        command: 'call',
        name,
        method,
        ...(json === undefined ? {} : { input }),
        ...(timeout === undefined ? {} : { timeout }),
      },
      // The host answers once the call has (or sends the stream's next item): wait as long, and a
      // little more for the way there and back.
      {
        timeout: (timeout ?? 5000) + 10_000,
        onItem: (item) => drained(context.io.stdout, `${jsonSafe(JSON.stringify(item))}\n`),
      },
    );
    // A stream's items were its output, each printed as it came.
    if (answer === STREAM_END) return 0;
    // A method whose output is void answers nothing: printed as null.
    context.io.stdout.write(formatJson(answer ?? null));
    return 0;
  },
};
