import type { Command } from '../command.js';
import { clientSocket } from '../command.js';
import { request } from '../control-client.js';
import { CliError, UsageError } from '../errors.js';
import { formatJson } from '../format-status.js';
import { inline } from '../terminal-text.js';

/** `jailthread call NAME METHOD [JSON]`: calls a method of a plugin's contract, as pm2's `trigger` does. */
export const callCommand: Command = {
  name: 'call',
  synopsis: 'NAME METHOD [JSON]',
  summary: "call a method of a plugin's contract and print its JSON output",
  details: `Calls METHOD of plugin NAME with JSON as its input (none if left out),
validated by the plugin's contract both ways, as host.call() does, with its
5 s timeout; prints the output as JSON. The plugin's error, a validation
error or a timeout is printed with exit code 1.

Examples:
  jailthread call recorder ban '{"jail":"sshd","ip":"203.0.113.7"}'
  jailthread call sshd status`,
  options: {},
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
    const answer = await request(
      await clientSocket(context),
      json === undefined ? { command: 'call', name, method } : { command: 'call', name, method, input },
    );
    if (typeof answer !== 'object' || answer === null || !('output' in answer))
      throw new CliError(`the host answered 'call ${inline(name)} ${inline(method)}' with something else`);
    context.io.stdout.write(formatJson((answer as { output: unknown }).output ?? null));
    return 0;
  },
};
