import type { Contract } from '../../plugin/contract.js';
import type { PluginHost } from '../../supervisor/plugin-host.js';
import type { Command } from '../command.js';
import { loadConfig } from '../config.js';
import { CliError } from '../errors.js';
import { preflight } from '../preflight.js';
import { buildSpecs } from '../specs.js';

/** Routes are built but never called by a test: a call would mean a bug here. */
const noHost: Pick<PluginHost<Record<string, Contract>>, 'call'> = {
  call: () => Promise.reject(new CliError('jailthread test calls no plugin')),
};

/** `jailthread test CONFIG` (or `-t CONFIG`): every check `run` makes, nothing started. */
export const testCommand: Command = {
  name: 'test',
  synopsis: 'CONFIG',
  summary: 'check a config as run would, start nothing (also -t CONFIG)',
  details: `Makes every check \`run\` makes before it starts anything: the JSON and
its fields, each contract loaded, each route resolved against the
contracts, each plugin's spec, and each plugin's module found and
exporting a plugin class (loaded in a process of its own, under the
plugin's sandbox; its class is not constructed). Prints
"OK: configuration test is successful" and exits 0, or every problem found
and exits 2, as \`fail2ban-client -t\` does.

Examples:
  jailthread test /etc/jailthread/jails.json
  jailthread -t /etc/jailthread/jails.json`,
  options: {},
  positionals: { min: 1, names: ['CONFIG'] },
  async run({ positionals, io }) {
    const config = await loadConfig(positionals[0] as string);
    await preflight(config, await buildSpecs(config, noHost));
    io.stdout.write('OK: configuration test is successful\n');
    return 0;
  },
};
