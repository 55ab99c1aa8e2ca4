import type { ParseArgsConfig } from 'node:util';
import { chooseSocket, findHostSocket } from './socket-path.js';

/** Where a command writes: the process's streams, or a test's buffers. */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/** What a command receives once its command line has been checked. */
export interface CommandContext {
  positionals: string[];
  values: Record<string, string | boolean | undefined>;
  /** `--socket`, if given. */
  socket: string | undefined;
  io: CliIo;
  env: NodeJS.ProcessEnv;
}

/** One sub-command: its command line, its help, and what it does. */
export interface Command {
  name: string;
  /** The arguments after the command's name, e.g. `[NAME] [--json]`. */
  synopsis: string;
  /** One line for `jailthread --help`. */
  summary: string;
  /** The rest of `jailthread CMD --help`: arguments, options, examples. */
  details: string;
  /** The command's own options; `--socket` and `--help` are added to every command. */
  options: NonNullable<ParseArgsConfig['options']>;
  /** How many positional arguments it takes, and their names for messages. */
  positionals: { min: number; names: string[] };
  /** Runs the command; resolves with the exit code. */
  run(context: CommandContext): Promise<number>;
}

/**
 * The socket a client command talks to. Default socket folders are checked
 * (not created): in a shared tmpdir, a folder someone else made could hold a
 * socket that impersonates the host, so it is never looked into.
 */
export async function clientSocket(context: CommandContext): Promise<string> {
  const choice = chooseSocket(context.socket, undefined, context.env);
  return choice.candidates === undefined ? choice.path : findHostSocket(choice.candidates);
}
