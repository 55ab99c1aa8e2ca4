import type { Command, CommandContext } from '../command.js';
import { clientSocket } from '../command.js';
import { request } from '../control-client.js';
import { CliError } from '../errors.js';
import { formatJailList, formatJailStatus, formatJson } from '../format-status.js';
import type { StatusRow } from '../host-api.js';
import { block, inline } from '../terminal-text.js';

const isRow = (value: unknown): value is StatusRow =>
  typeof value === 'object' && value !== null && typeof (value as { name?: unknown }).name === 'string';

/**
 * The rows were printed; a status the host could not send is an error of its
 * jail, one line each, and exit code 1, so scripts notice.
 */
function reportMissing(rows: unknown[], { io }: CommandContext): number {
  let code = 0;
  for (const row of rows)
    if (isRow(row) && typeof row.statusError === 'string') {
      io.stderr.write(`jailthread status: jail '${inline(row.name)}': ${block(row.statusError)}\n`);
      code = 1;
    }
  return code;
}

/** `jailthread status [NAME] [--json]`: the jail list, or one jail's status. */
export const statusCommand: Command = {
  name: 'status',
  synopsis: '[NAME] [--json]',
  summary: "list the jails, or show one jail's status",
  details: `Without NAME, prints the number of jails and their names; with NAME, that
jail's status: fail2ban's filter/actions tree for a fail2ban jail, otherwise
its state, pid, restarts, uptime, memory, last exit and own status. A status
too large for the control socket's 1 MiB answer is not shown: its jail's row
says why, and the exit code is 1.

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
      return reportMissing(Array.isArray(result) ? result : [result], context);
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
      return reportMissing([result], context);
    }
    return 0;
  },
};
