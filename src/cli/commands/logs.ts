import { setTimeout as sleep } from 'node:timers/promises';
import { inline } from '../../terminal-text.js';
import type { Command, CommandContext } from '../command.js';
import { clientSocket } from '../command.js';
import { request } from '../control-client.js';
import { CliError, UsageError } from '../errors.js';
import type { RingLine } from '../log-ring.js';

const MAX_LINES = 100_000;
/** How often `--follow` asks the host for new lines: tail -f's rhythm, a request each time. */
const FOLLOW_EVERY = 250;

function lineCount(value: string | boolean | undefined): number {
  if (value === undefined) return 100;
  const count = Number(value);
  if (!/^\d+$/.test(String(value)) || count < 1 || count > MAX_LINES)
    throw new UsageError(
      `--lines must be a whole number from 1 to ${MAX_LINES}, got '${inline(String(value))}'`,
      'logs',
    );
  return count;
}

const isLine = (value: unknown): value is RingLine =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as RingLine).seq === 'number' &&
  typeof (value as RingLine).line === 'string' &&
  typeof (value as RingLine).time === 'string';

async function fetchLines(socket: string, name: string, lines: number, after: number): Promise<RingLine[]> {
  const answer = await request(socket, { command: 'logs', name, lines, after });
  if (!Array.isArray(answer) || !answer.every(isLine))
    throw new CliError(`the host on ${socket} answered 'logs' with something else; is it the same jailthread version?`);
  return answer;
}

/** Until Ctrl-C or SIGTERM: the command then ends with code 0, as `tail -f` is ended. */
function untilInterrupted(): { done: Promise<void>; over: () => boolean; undo: () => void } {
  let over = false;
  let resolve = () => {};
  const done = new Promise<void>((r) => {
    resolve = r;
  });
  const onSignal = () => {
    over = true;
    resolve();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    done,
    over: () => over,
    undo: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

async function follow(context: CommandContext, socket: string, name: string, after: number): Promise<void> {
  const signal = untilInterrupted();
  try {
    let last = after;
    while (!signal.over()) {
      await Promise.race([sleep(FOLLOW_EVERY), signal.done]);
      if (signal.over()) break;
      const lines = await fetchLines(socket, name, MAX_LINES, last);
      for (const line of lines) context.io.stdout.write(formatLine(line));
      last = lines.at(-1)?.seq ?? last;
    }
  } finally {
    signal.undo();
  }
}

// The host escaped the line as `run` prints it; the time is checked to be a string, and printed escaped.
const formatLine = ({ time, stream, line }: RingLine): string => `${inline(time)} ${inline(String(stream))} ${line}\n`;

/** `jailthread logs NAME [--lines N] [--follow]`: a plugin's last lines of output, as pm2 logs shows them. */
export const logsCommand: Command = {
  name: 'logs',
  synopsis: 'NAME [--lines N] [--follow]',
  summary: "print a plugin's last lines of stdout and stderr",
  details: `Prints the last lines the plugin wrote, each with its time and stream,
escaped as \`run\` prints them. The host keeps the last 1,000 lines of each
plugin (and at most 512 KiB of them), across its restarts.

Options:
  --lines N   how many lines, 1 to 100000 (default 100)
  --follow    go on printing new lines until Ctrl-C

Examples:
  jailthread logs sshd --lines 20
  jailthread logs sshd --follow`,
  options: { lines: { type: 'string' }, follow: { type: 'boolean' } },
  positionals: { min: 1, names: ['NAME'] },
  async run(context) {
    const [name] = context.positionals as [string];
    const lines = lineCount(context.values.lines);
    const socket = await clientSocket(context);
    const got = await fetchLines(socket, name, lines, 0);
    for (const line of got) context.io.stdout.write(formatLine(line));
    if (context.values.follow === true) await follow(context, socket, name, got.at(-1)?.seq ?? 0);
    return 0;
  },
};
