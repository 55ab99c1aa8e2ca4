import type { Command } from '../command.js';
import { clientSocket } from '../command.js';
import { request, SLOW_REQUEST_TIMEOUT } from '../control-client.js';
import type { ReloadAnswer } from '../control-ops.js';
import { CliError } from '../errors.js';
import { block, inline } from '../terminal-text.js';

const isAnswer = (value: unknown): value is ReloadAnswer =>
  typeof value === 'object' &&
  value !== null &&
  (typeof (value as { configError?: unknown }).configError === 'string' ||
    ['added', 'removed', 'replaced', 'unchanged'].every((key) =>
      Array.isArray((value as Record<string, unknown>)[key]),
    ));

/** `jailthread reload [NAME]`: applies the config file again, as `fail2ban-client reload` does. */
export const reloadCommand: Command = {
  name: 'reload',
  synopsis: '[NAME]',
  summary: 're-read the config and apply what changed (every plugin, or NAME)',
  details: `Has the host read the config file it was started with again and apply the
difference: a plugin added is started, one removed is stopped and
forgotten, one whose entry changed is restarted with its new entry, and one
unchanged goes on untouched (same process, same state, same counters). With
NAME, only that plugin's entry is applied. A config that fails the checks
\`run\` makes changes nothing: the message is \`run\`'s, and the exit code 2.
Refused while another reload or a stop of the host runs.

Examples:
  jailthread reload
  jailthread reload sshd`,
  options: {},
  positionals: { min: 0, names: ['NAME'] },
  async run(context) {
    const [name] = context.positionals;
    const socket = await clientSocket(context);
    const answer = await request(socket, name === undefined ? { command: 'reload' } : { command: 'reload', name }, {
      timeout: SLOW_REQUEST_TIMEOUT,
    });
    if (!isAnswer(answer))
      throw new CliError(
        `the host on ${socket} answered 'reload' with something else; is it the same jailthread version?`,
      );
    if ('configError' in answer) {
      context.io.stderr.write(`jailthread reload: ${block(answer.configError)}; nothing was changed\n`);
      return 2;
    }
    const line = (label: string, names: string[]) =>
      names.length === 0 ? '' : `${label}: ${inline(names.join(', '))}\n`;
    context.io.stdout.write(
      line('Added', answer.added) +
        line('Removed', answer.removed) +
        line('Reloaded', answer.replaced) +
        line('Unchanged', answer.unchanged),
    );
    return 0;
  },
};
