import { block, inline } from '../../terminal-text.js';
import type { Command, CommandContext } from '../command.js';
import { clientSocket } from '../command.js';
import { request } from '../control-client.js';
import { CliError } from '../errors.js';
import { allUp, formatHostList, formatNotRunning } from '../format-list.js';
import { formatJailStatus, formatJson } from '../format-status.js';
import type { ToldRow } from '../plugin-notes.js';

const isRow = (value: unknown): value is ToldRow =>
  typeof value === 'object' && value !== null && typeof (value as { name?: unknown }).name === 'string';

/**
 * The rows were printed: the exit code is LSB's for `status`, 3 when a
 * plugin is not running (idle by request counts as running). A status the
 * host could not send is an error of its jail, one line each, and exit code
 * 1 when every plugin runs, so scripts notice.
 */
function exitCode(rows: unknown[], { io }: CommandContext): number {
  let code = 0;
  for (const row of rows)
    if (isRow(row) && typeof row.statusError === 'string') {
      io.stderr.write(`jailthread status: jail '${inline(row.name)}': ${block(row.statusError)}\n`);
      code = 1;
    }
  return allUp(rows.filter(isRow)) ? code : 3;
}

/** `jailthread status [NAME] [--json]`: the jail list, or one jail's status. */
export const statusCommand: Command = {
  name: 'status',
  synopsis: '[NAME] [--json]',
  summary: "list the jails, or show one jail's status",
  details: `Without NAME, prints the number of jails (plugins whose status has
fail2ban's counters) and their names, the other plugins, and the plugins
that are not running; with NAME, that plugin's status: first, when it is
not running (or idle), its state and why; then fail2ban's filter/actions
tree for a fail2ban jail, otherwise its state, pid, restarts, uptime,
memory, last exit and own status. A status too large for the control
socket's 1 MiB answer is not shown: its jail's row says why.

Exit codes, as LSB's \`status\`: 0 every plugin named (or every plugin)
running or idle by request; 3 one or more not running; 1 no host answers,
no such plugin, or a status that could not be sent; 2 a bad command line.

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
      return exitCode(Array.isArray(result) ? result : [result], context);
    }
    if (name === undefined) {
      if (!Array.isArray(result) || !result.every(isRow))
        throw new CliError(
          `the host on ${socket} answered 'status' without jail rows; is it the same jailthread version?`,
        );
      io.stdout.write(formatHostList(result));
      // The list shows no status: one the host could not send costs nothing here.
      return allUp(result) ? 0 : 3;
    } else {
      if (!isRow(result))
        throw new CliError(
          `the host on ${socket} answered 'status ${name}' without a jail row; is it the same jailthread version?`,
        );
      io.stdout.write(formatNotRunning(result) + formatJailStatus(result));
      return exitCode([result], context);
    }
  },
};
