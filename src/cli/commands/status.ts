import type { Command } from '../command.js';
import { clientSocket } from '../command.js';
import { request } from '../control-client.js';
import { CliError } from '../errors.js';
import { formatJailList, formatJailStatus, formatJson } from '../format-status.js';
import type { PluginRow } from '../host-api.js';

const isRow = (value: unknown): value is PluginRow =>
  typeof value === 'object' && value !== null && typeof (value as { name?: unknown }).name === 'string';

/** `jailthread status [NAME] [--json]`: the jail list, or one jail's status. */
export const statusCommand: Command = {
  name: 'status',
  synopsis: '[NAME] [--json]',
  summary: "list the jails, or show one jail's status",
  details: `Without NAME, prints the number of jails and their names; with NAME, that
jail's status: fail2ban's filter/actions tree for a fail2ban jail, otherwise
its state, pid, restarts, uptime, memory, last exit and own status.

Options:
  --json   print the host's rows as JSON instead (every row, or NAME's row)

Examples:
  jailthread status
  jailthread status sshd
  jailthread status --json`,
  options: { json: { type: 'boolean' } },
  positionals: { min: 0, names: ['NAME'] },
  async run(context) {
    const { positionals, values, io } = context;
    const [name] = positionals;
    const socket = await clientSocket(context);
    const result = await request(socket, name === undefined ? { command: 'status' } : { command: 'status', name });
    if (values.json === true) {
      io.stdout.write(formatJson(result));
      return 0;
    }
    if (name === undefined) {
      if (!Array.isArray(result) || !result.every(isRow))
        throw new CliError(
          `the host on ${socket} answered 'status' without jail rows; is it the same jailthread version?`,
        );
      io.stdout.write(formatJailList(result.map((row) => row.name)));
    } else {
      if (!isRow(result))
        throw new CliError(
          `the host on ${socket} answered 'status ${name}' without a jail row; is it the same jailthread version?`,
        );
      io.stdout.write(formatJailStatus(result));
    }
    return 0;
  },
};
