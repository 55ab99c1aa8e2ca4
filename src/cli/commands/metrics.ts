import { jsonSafe } from '../../terminal-text.js';
import type { Command } from '../command.js';
import { clientSocket } from '../command.js';
import { request } from '../control-client.js';
import { CliError } from '../errors.js';

/** `jailthread metrics`: the host's metrics in the Prometheus text format. */
export const metricsCommand: Command = {
  name: 'metrics',
  synopsis: '',
  summary: "print the host's metrics in the Prometheus text format",
  details: `Prints what \`run --metrics HOST:PORT\` serves at /metrics: each plugin's up,
state, restarts, uptime, resident memory and heap, the numbers of its own
status (a jail's currently failed and banned), and the host's calls of
plugin methods by plugin, method and outcome with a latency histogram.

Example:
  jailthread metrics | promtool check metrics`,
  options: {},
  positionals: { min: 0, names: [] },
  async run(context) {
    const socket = await clientSocket(context);
    const text = await request(socket, { command: 'metrics' });
    if (typeof text !== 'string')
      throw new CliError(
        `the host on ${socket} answered 'metrics' with something else; is it the same jailthread version?`,
      );
    // Label values hold plugin text: escaped as the format wants, and kept from the terminal.
    context.io.stdout.write(jsonSafe(text));
    return 0;
  },
};
