import { inline } from '../../terminal-text.js';
import type { Command } from '../command.js';
import { clientSocket } from '../command.js';
import { request } from '../control-client.js';
import { UsageError } from '../errors.js';

/** `jailthread get NAME banned`: the jail's banned addresses, as fail2ban-client's get does. */
export const getCommand: Command = {
  name: 'get',
  synopsis: 'NAME banned',
  summary: "print a jail's banned addresses, as fail2ban-client's get does",
  details: `Calls the jail's banned method (jailthread/jails/log has it) and prints the
addresses, one a line, in ban order; nothing when none is banned.

Example:
  jailthread get sshd banned`,
  options: {},
  positionals: { min: 2, names: ['NAME', 'banned'] },
  async run(context) {
    const [name, what] = context.positionals as [string, string];
    if (what !== 'banned')
      throw new UsageError(
        `expected 'banned' after the jail name, got '${what}'; e.g. jailthread get ${name} banned`,
        'get',
      );
    const ips = await request(await clientSocket(context), { command: 'call', name, method: 'banned' });
    if (!Array.isArray(ips)) throw new UsageError(`jail '${name}' answered no list of addresses`, 'get');
    for (const ip of ips) context.io.stdout.write(`${inline(String(ip))}\n`);
    return 0;
  },
};
