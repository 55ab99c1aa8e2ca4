import { inline } from '../../terminal-text.js';
import type { Command } from '../command.js';
import { clientSocket } from '../command.js';
import { request, SLOW_REQUEST_TIMEOUT } from '../control-client.js';

/** `jailthread restart NAME`: stops a jail gracefully and starts it again. */
export const restartCommand: Command = {
  name: 'restart',
  synopsis: 'NAME',
  summary: 'restart one jail (also a stopped or errored one)',
  details: `Stops the jail gracefully and starts it again; this also revives a jail
that was stopped or that gave up restarting ('errored').

Example:
  jailthread restart sshd`,
  options: {},
  positionals: { min: 1, names: ['NAME'] },
  async run(context) {
    const [name] = context.positionals as [string];
    await request(await clientSocket(context), { command: 'restart', name }, { timeout: SLOW_REQUEST_TIMEOUT });
    context.io.stdout.write(`Jail restarted: ${inline(name)}\n`);
    return 0;
  },
};
