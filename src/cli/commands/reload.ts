import { block, inline } from '../../terminal-text.js';
import type { Command } from '../command.js';
import { clientSocket } from '../command.js';
import { request, SLOW_REQUEST_TIMEOUT } from '../control-client.js';
import type { ReloadAnswer } from '../control-ops.js';
import { CliError, UsageError } from '../errors.js';

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
  synopsis: '[NAME] [--graceful]',
  summary: 're-read the config and apply what changed (every plugin, or NAME)',
  details: `Has the host read the config file it was started with again and apply the
difference: a plugin added is started, one removed is stopped and
forgotten, one whose entry changed is restarted with its new entry, and one
unchanged goes on untouched (same process, same state, same counters). With
NAME, only that plugin's entry is applied. A config that fails the checks
\`run\` makes changes nothing: the message is \`run\`'s, and the exit code 2.
Refused while another reload or a stop of the host runs.

Options:
  --graceful   (with NAME) replace the plugin with no gap, even if its entry
               is unchanged: the new process starts beside the old one and
               must be running before new calls go to it; the old one
               finishes its calls (within its shutdownTimeout), hands its
               state over (its contract's handover(), received by the new
               one's takeover()) and stops. If the new one does not start,
               the old one goes on serving and the command says why (exit 1).

Examples:
  jailthread reload
  jailthread reload sshd
  jailthread reload sshd --graceful`,
  options: { graceful: { type: 'boolean' } },
  positionals: { min: 0, names: ['NAME'] },
  async run(context) {
    const [name] = context.positionals;
    const graceful = context.values.graceful === true;
    if (graceful && name === undefined)
      throw new UsageError('--graceful reloads one plugin: name it, e.g. jailthread reload sshd --graceful', 'reload');
    const socket = await clientSocket(context);
    const body =
      name === undefined
        ? { command: 'reload' as const }
        : { command: 'reload' as const, name, ...(graceful ? { graceful } : {}) };
    const answer = await request(socket, body, { timeout: SLOW_REQUEST_TIMEOUT });
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
