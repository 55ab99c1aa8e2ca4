import { inline } from '../../terminal-text.js';
import type { Command } from '../command.js';
import { clientSocket } from '../command.js';
import { request, SLOW_REQUEST_TIMEOUT } from '../control-client.js';

/** `jailthread stop [NAME]`: stops one jail, or every jail and then the host. */
export const stopCommand: Command = {
  name: 'stop',
  synopsis: '[NAME]',
  summary: 'stop one jail, or every jail and the host',
  details: `With NAME, stops that jail; it stays stopped (not restarted) until
\`jailthread restart NAME\`. Without NAME, stops every jail in reverse order,
then the host closes its socket and exits. Waits until done.

Examples:
  jailthread stop sshd
  jailthread stop`,
  options: {},
  positionals: { min: 0, names: ['NAME'] },
  async run(context) {
    const [name] = context.positionals;
    const socket = await clientSocket(context);
    await request(socket, name === undefined ? { command: 'stop' } : { command: 'stop', name }, {
      timeout: SLOW_REQUEST_TIMEOUT,
    });
    context.io.stdout.write(name === undefined ? 'Shutdown successful\n' : `Jail stopped: ${inline(name)}\n`);
    return 0;
  },
};
