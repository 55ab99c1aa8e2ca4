import { inline } from '../../terminal-text.js';
import type { Command } from '../command.js';
import { clientSocket } from '../command.js';
import { request } from '../control-client.js';
import { UsageError } from '../errors.js';

const SWITCH: Record<string, boolean> = { on: true, off: false };

/** `jailthread idle NAME on|off`: pauses or resumes a jail's work without stopping its process. */
export const idleCommand: Command = {
  name: 'idle',
  synopsis: 'NAME on|off',
  summary: "pause (on) or resume (off) a jail's work",
  details: `Sets the jail's idle flag, as fail2ban's \`set NAME idle on|off\` does: the
plugin keeps running but skips its work while idle.

Examples:
  jailthread idle sshd on
  jailthread idle sshd off`,
  options: {},
  positionals: { min: 2, names: ['NAME', 'on|off'] },
  async run(context) {
    const [name, value] = context.positionals as [string, string];
    const idle = SWITCH[value];
    if (idle === undefined)
      throw new UsageError(
        `expected 'on' or 'off' after the jail name, got '${value}'; e.g. jailthread idle ${name} on`,
        'idle',
      );
    await request(await clientSocket(context), { command: 'idle', name, idle });
    context.io.stdout.write(`Jail ${inline(name)} is ${idle ? 'now idle' : 'no longer idle'}\n`);
    return 0;
  },
};
