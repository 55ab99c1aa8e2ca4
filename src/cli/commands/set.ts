import { inline } from '../../terminal-text.js';
import type { Command } from '../command.js';
import { clientSocket } from '../command.js';
import { request } from '../control-client.js';
import { UsageError } from '../errors.js';

/** At most this many addresses a call: the request stays far below the control socket's line limit. */
const MAX_IPS = 256;
const VERBS = ['banip', 'unbanip'];

/** `jailthread set NAME banip|unbanip IP…`: fail2ban-client's verbs, as calls of the jail's methods. */
export const setCommand: Command = {
  name: 'set',
  synopsis: 'NAME banip|unbanip IP...',
  summary: "ban or unban addresses in a jail, as fail2ban-client's set does",
  details: `Calls the jail's banip or unbanip method (jailthread/jails/log has both) with
the addresses; a jail that has no such method answers with its contract's error.
Prints how many addresses changed, as fail2ban-client does.

Examples:
  jailthread set sshd banip 203.0.113.7 2001:db8::1
  jailthread set sshd unbanip 203.0.113.7`,
  options: {},
  positionals: { min: 3, names: ['NAME', 'banip|unbanip', ...Array<string>(MAX_IPS).fill('IP')] },
  async run(context) {
    const [name, verb, ...ips] = context.positionals as [string, string, ...string[]];
    if (!VERBS.includes(verb))
      throw new UsageError(
        `expected banip or unbanip after the jail name, got '${verb}'; e.g. jailthread set ${name} banip 203.0.113.7`,
        'set',
      );
    const changed = await request(await clientSocket(context), { command: 'call', name, method: verb, input: { ips } });
    context.io.stdout.write(`${inline(String(changed))}\n`);
    return 0;
  },
};
