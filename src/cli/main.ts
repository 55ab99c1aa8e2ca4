import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { block } from '../terminal-text.js';
import type { CliIo, Command } from './command.js';
import { callCommand } from './commands/call.js';
import { getCommand } from './commands/get.js';
import { idleCommand } from './commands/idle.js';
import { logsCommand } from './commands/logs.js';
import { metricsCommand } from './commands/metrics.js';
import { reloadCommand } from './commands/reload.js';
import { restartCommand } from './commands/restart.js';
import { runCommand } from './commands/run.js';
import { setCommand } from './commands/set.js';
import { statusCommand } from './commands/status.js';
import { stopCommand } from './commands/stop.js';
import { testCommand } from './commands/test.js';
import { ConfigError } from './config.js';
import { CliError, messageOf, UsageError } from './errors.js';
import { SOCKET_ENV } from './socket-path.js';

const COMMANDS: readonly Command[] = [
  runCommand,
  statusCommand,
  idleCommand,
  stopCommand,
  restartCommand,
  reloadCommand,
  logsCommand,
  callCommand,
  setCommand,
  getCommand,
  testCommand,
  metricsCommand,
];

const GLOBAL_OPTIONS = {
  socket: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

// Of the program, not of a command: `jailthread status --version` is refused as unknown.
const VERSION_OPTION = { version: { type: 'boolean', short: 'V' } } as const;

/**
 * The version in the package's own package.json, found by the package's name
 * (a self-reference): the same from dist/cli.js, an installed copy, or the
 * tests' build of this file.
 */
function packageVersion(): string {
  const file = fileURLToPath(import.meta.resolve('jailthread/package.json'));
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

const commandNames = () => [...COMMANDS.map((c) => c.name), 'help'].join(', ');

function generalHelp(): string {
  const rows = [
    ...COMMANDS.map((c) => [`${c.name} ${c.synopsis}`, c.summary]),
    ['help [COMMAND]', "show this help, or a command's"],
  ];
  const width = Math.max(...rows.map(([left]) => (left as string).length)) + 2;
  return `Usage: jailthread [--socket PATH] COMMAND [ARGS]
       jailthread --version

Runs plugins, each in its own process, and controls them like fail2ban-client.

Commands:
${rows.map(([left, right]) => `  ${(left as string).padEnd(width)}${right}`).join('\n')}

Options (every command):
  --socket PATH   the host's control socket
  -h, --help      show help; \`jailthread COMMAND --help\` for a command's

Without a command:
  -V, --version   print jailthread's version
  -t CONFIG       the same as \`jailthread test CONFIG\`

The control socket is --socket PATH if given, else $${SOCKET_ENV}, else (for
run) the config's "socket", else the default: /run/jailthread/control.sock for
root; for others $XDG_RUNTIME_DIR/jailthread/control.sock, else
<tmpdir>/jailthread-<uid>/control.sock, else ~/.jailthread/control.sock (the
first whose folder is yours alone; a folder another user made is passed over).

Exit codes: 0 done; 1 failed (no host running, unknown jail, host error);
2 bad command line or config; 3 (status) a plugin is not running, (run
--exit-on-errored) a plugin was given up.
`;
}

const commandHelp = (command: Command): string =>
  `Usage: jailthread ${command.name} ${command.synopsis} [--socket PATH]\n\n${command.summary[0]?.toUpperCase()}${command.summary.slice(1)}.\n\n${command.details}\n\nEvery command also takes --socket PATH and -h/--help; see \`jailthread --help\`.\n`;

type Options = NonNullable<ParseArgsConfig['options']>;

/** What a string option's value is, for messages: `--lines N`, `--socket PATH`. */
const VALUE_HINTS: Record<string, string> = {
  lines: 'N',
  timeout: 'MS',
  metrics: 'HOST:PORT',
  'log-format': 'text|json',
};
const valueHint = (name: string): string => VALUE_HINTS[name] ?? 'PATH';

const optionList = (options: Options): string =>
  Object.entries(options)
    .map(
      ([name, { type, short }]) =>
        `${short ? `-${short}/` : ''}--${name}${type === 'string' ? ` ${valueHint(name)}` : ''}`,
    )
    .join(', ');

function findCommand(name: string): Command {
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) throw new UsageError(`unknown command '${name}'; use one of ${commandNames()}`);
  return command;
}

/**
 * Checks options by hand before the strict parse: node's own messages are
 * long and do not say which options the command does take.
 */
function checkOptions(command: Command, args: string[]): void {
  const options: Options = { ...GLOBAL_OPTIONS, ...command.options };
  const { tokens } = parseArgs({ args, options, strict: false, allowPositionals: true, tokens: true });
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const option = options[token.name];
    if (option === undefined)
      throw new UsageError(`unknown option '${token.rawName}'; valid options are ${optionList(options)}`, command.name);
    if (option.type === 'string' && token.value === undefined)
      throw new UsageError(
        `option ${token.rawName} needs a value, e.g. ${token.rawName} ${valueHint(token.name)}`,
        command.name,
      );
    if (option.type === 'boolean' && token.inlineValue === true)
      throw new UsageError(`option ${token.rawName} takes no value; write just ${token.rawName}`, command.name);
  }
}

function parseCommandLine(command: Command, args: string[]) {
  checkOptions(command, args);
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args,
      options: { ...GLOBAL_OPTIONS, ...command.options },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    throw new UsageError(messageOf(error), command.name);
  }
  const { positionals } = parsed;
  const { min, names } = command.positionals;
  const usage = `usage: jailthread ${command.name} ${command.synopsis}`;
  if (positionals.length < min) throw new UsageError(`missing ${names[positionals.length]}; ${usage}`, command.name);
  if (positionals.length > names.length)
    throw new UsageError(
      `unexpected extra argument '${positionals[names.length]}'; ${usage}${names.length === 0 ? ' (it takes none)' : ''}`,
      command.name,
    );
  return { positionals, values: parsed.values as Record<string, string | boolean | undefined> };
}

/** The command being run, so a run-time error can be prefixed with it. */
interface Dispatch {
  command?: string;
}

async function dispatch(args: string[], io: CliIo, env: NodeJS.ProcessEnv, state: Dispatch): Promise<number> {
  // fail2ban-client's spelling of the config test.
  const argv = args[0] === '-t' ? ['test', ...args.slice(1)] : args;
  // A first, lenient pass only to find the command: --socket may come before it.
  const { tokens } = parseArgs({
    args: argv,
    options: { ...GLOBAL_OPTIONS, ...VERSION_OPTION },
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const first = tokens.find((token) => token.kind === 'positional');
  const wantsHelp = tokens.some((token) => token.kind === 'option' && token.name === 'help');
  if (first === undefined) {
    if (tokens.some((token) => token.kind === 'option' && token.name === 'version')) {
      io.stdout.write(`${packageVersion()}\n`);
      return 0;
    }
    if (wantsHelp) {
      io.stdout.write(generalHelp());
      return 0;
    }
    throw new UsageError(`missing command; use one of ${commandNames()}`);
  }
  const rest = argv.filter((_, index) => index !== first.index);
  if (first.value === 'help') {
    const topics = rest.filter((arg) => !arg.startsWith('-'));
    if (topics.length > 1) throw new UsageError(`'help' takes at most one command name, got ${topics.join(' ')}`);
    io.stdout.write(topics[0] === undefined ? generalHelp() : commandHelp(findCommand(topics[0])));
    return 0;
  }
  const command = findCommand(first.value);
  state.command = command.name;
  if (wantsHelp) {
    io.stdout.write(commandHelp(command));
    return 0;
  }
  const { positionals, values } = parseCommandLine(command, rest);
  const socket = typeof values.socket === 'string' ? values.socket : undefined;
  return command.run({ positionals, values, socket, io, env });
}

/**
 * The `jailthread` command line. Writes results to `io.stdout` and one-line
 * errors to `io.stderr`, and resolves with the exit code: 0 done, 1 failed at
 * run time (no host, unknown jail, host error), 2 bad command line or config.
 * Never rejects.
 * @param argv the arguments after the program's name
 */
export async function main(argv: string[], io: CliIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const state: Dispatch = {};
  try {
    return await dispatch(argv, io, env, state);
  } catch (error) {
    if (error instanceof UsageError) {
      const prefix = error.command === undefined ? 'jailthread' : `jailthread ${error.command}`;
      const help = error.command === undefined ? 'jailthread --help' : `jailthread ${error.command} --help`;
      io.stderr.write(`${prefix}: ${block(error.message)} (see '${help}')\n`);
      return 2;
    }
    if (error instanceof ConfigError) {
      io.stderr.write(`jailthread ${state.command ?? 'run'}: ${block(error.message)}\n`);
      return 2;
    }
    const prefix = state.command === undefined ? 'jailthread' : `jailthread ${state.command}`;
    // A CliError's message may carry a plugin's error or a control-socket peer's answer.
    if (error instanceof CliError) io.stderr.write(`${prefix}: ${block(error.message)}\n`);
    else
      io.stderr.write(
        `${prefix}: unexpected error: ${block(error instanceof Error ? (error.stack ?? error.message) : String(error))}\n`,
      );
    return 1;
  }
}
