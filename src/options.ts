import { fileURLToPath } from 'node:url';
import { ThreadStateError } from './errors.js';

/**
 * Bytes the host may hold on one child's behalf, all kinds together: a frame
 * being reassembled, the inputs of its calls while the host serves them,
 * answers it has not read, its kept status. Room for a frame of the largest
 * size twice over.
 * @default 134217728 (128 MiB)
 */
export const DEFAULT_MAX_HELD_BYTES = 128 * 2 ** 20;

/** Options of `new JailThread(options)`; every field is serializable and reaches the child's instance too. */
export interface JailThreadOptions {
  /**
   * Identifies the thread in errors, in `status` output and in the child's `process.title` (`jailthread: NAME`, as `ps` shows it). Duplicates are allowed.
   * @default `Thread-N`, from a process-wide counter
   */
  name?: string;
  /**
   * A daemon thread does not keep the host process alive and is terminated when the host exits.
   * @default the creating thread's flag: `false` in the host's main flow, the running thread's flag inside `run()`
   */
  daemon?: boolean;
  /**
   * Milliseconds `sleep()` waits in the thread's loop.
   * @default 1000
   */
  sleeptime?: number;
  /**
   * Starts the thread idle: its loop runs but does no work until `idle` turns false.
   * @default false
   */
  idle?: boolean;
  /**
   * Extra arguments for the constructor in the child: it is called as `new Class(options, ...args)`.
   * Passing extra arguments to the constructor in the host has the same effect.
   * @default []
   */
  args?: unknown[];
  /**
   * Node flags for the child. Replaces the host's own flags, as `child_process.fork` does.
   * Debugger flags (`--inspect*`) are always dropped, since the child would clash on the port.
   * @default the host's `process.execArgv` without debugger flags
   */
  execArgv?: string[];
  /**
   * Environment variables added to (or, with `undefined`, removed from) the host's `process.env`.
   * @default {}
   */
  env?: Record<string, string | undefined>;
  /**
   * Working directory of the child.
   * @default the host's `process.cwd()`
   */
  cwd?: string | URL;
  /**
   * Milliseconds `stop()` waits for `run()` to return before it sends SIGTERM, then SIGKILL after a further grace.
   * @default 5000
   */
  stopTimeout?: number;
  /**
   * Milliseconds `start()` waits for the child to begin `run()` (its module to load and its instance to be
   * made): past it the child is killed and `start()` rejects with a ThreadStartError naming the timeout.
   * @default 30000
   */
  startTimeout?: number;
  /**
   * V8 old-generation heap limit of the child (`--max-old-space-size`), in MiB.
   * @default Node's own limit
   */
  maxOldGenerationSizeMb?: number;
  /**
   * MiB the host may hold on the child's behalf, all together: a frame being received, inputs of its calls
   * while the host serves them, answers it has not read, its kept status. Past it the child is killed as
   * `'misbehaved'`.
   * @default 128
   */
  maxHeldMb?: number;
  /**
   * Where the child's stdout and stderr go: `'inherit'` passes them to the host's as they are, `'prefix'`
   * starts every line with `[name] `.
   * @default 'inherit'
   */
  output?: 'inherit' | 'prefix';
}

export const DEFAULT_SLEEPTIME = 1000;
export const DEFAULT_STOP_TIMEOUT = 5000;
export const DEFAULT_START_TIMEOUT = 30_000;
/** Between SIGTERM and SIGKILL when a stop is forced. */
export const DEFAULT_KILL_GRACE = 1000;
/** How long `getStatus()` waits for the child's answer. */
export const DEFAULT_CALL_TIMEOUT = 5000;

const show = (value: unknown): string => {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  try {
    return `${String(value)} (${value === null ? 'null' : typeof value})`;
  } catch {
    return typeof value;
  }
};

/** `where` is the call (`thread.idle`, `new JailThread()`), `who` the thread's name. */
export function checkBoolean(value: unknown, where: string, who: string): boolean {
  if (typeof value !== 'boolean') {
    throw new TypeError(`${where} of thread "${who}" must be a boolean, got ${show(value)}: pass true or false.`);
  }
  return value;
}

/**
 * The longest delay a Node timer takes: a longer one (or Infinity) fires at
 * once, with a TimeoutOverflowWarning, so every millisecond option is checked
 * against it where it is given.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** The bound, as messages say it. */
export const TIMER_BOUND = `${MAX_TIMER_MS} ms (about 24.8 days, the longest a Node timer waits)`;

/** A number of milliseconds, 0 to MAX_TIMER_MS: `sleeptime`, `stopTimeout`, `sleep(ms)`. */
export function checkDuration(value: unknown, where: string, who: string): number {
  if (typeof value !== 'number') {
    throw new TypeError(`${where} of thread "${who}" must be a number of milliseconds, got ${show(value)}.`);
  }
  if (Number.isNaN(value) || value < 0 || value > MAX_TIMER_MS) {
    throw new RangeError(
      `${where} of thread "${who}" must be a number of milliseconds from 0 to ${TIMER_BOUND}, got ${value}.`,
    );
  }
  return value;
}

export function checkName(value: unknown, where: string, who: string): string {
  if (typeof value !== 'string') {
    throw new TypeError(`${where} of thread "${who}" must be a string, got ${show(value)}.`);
  }
  return value;
}

/**
 * A call's timeout: undefined for the call's default, a number of
 * milliseconds up to MAX_TIMER_MS (below 0 counts as 0), or, where `forever`
 * allows it, `Infinity` for no deadline.
 */
export function checkTimeout(
  value: unknown,
  where: string,
  who: string,
  forever: 'Infinity waits forever' | 'finite' = 'Infinity waits forever',
): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new TypeError(
      `${where} of thread "${who}" must be a number of milliseconds or undefined, got ${show(value)}.`,
    );
  }
  if (value === Number.POSITIVE_INFINITY && forever !== 'finite') return value;
  if (value > MAX_TIMER_MS) {
    const or = forever === 'finite' ? '' : ', or Infinity for no deadline';
    throw new RangeError(`${where} of thread "${who}" must be at most ${TIMER_BOUND}${or}, got ${value}.`);
  }
  return Math.max(0, value);
}

/** The process options, checked once at construction so a bad value fails where it was written. */
export interface ProcessOptions {
  execArgv: string[] | undefined;
  env: Record<string, string | undefined>;
  cwd: string | undefined;
  stopTimeout: number;
  startTimeout: number;
  maxOldGenerationSizeMb: number | undefined;
  /** What the host may hold for the child, in bytes (`maxHeldMb`). */
  maxHeldBytes: number;
  /** `'lines'`: a plugin host's logger takes the output line by line. */
  output: 'inherit' | 'prefix' | 'lines';
  /** False for plugins: the child sees `env` only, not the host's environment. */
  extendEnv: boolean;
  /** Set for a supervised plugin: its spares serve it alone, whatever options other threads share. */
  pool: string | undefined;
}

export function checkProcessOptions(options: JailThreadOptions, who: string): ProcessOptions {
  const where = (field: string) => `new JailThread({ ${field} })`;
  const {
    execArgv,
    env = {},
    cwd,
    stopTimeout = DEFAULT_STOP_TIMEOUT,
    startTimeout = DEFAULT_START_TIMEOUT,
    maxOldGenerationSizeMb,
    maxHeldMb = DEFAULT_MAX_HELD_BYTES / 2 ** 20,
    output = 'inherit',
  } = options;
  if (output !== 'inherit' && output !== 'prefix') {
    throw new TypeError(`${where('output')} of thread "${who}" must be 'inherit' or 'prefix', got ${show(output)}.`);
  }
  if (execArgv !== undefined && !(Array.isArray(execArgv) && execArgv.every((arg) => typeof arg === 'string'))) {
    throw new TypeError(`${where('execArgv')} of thread "${who}" must be an array of strings, got ${show(execArgv)}.`);
  }
  if (
    typeof env !== 'object' ||
    env === null ||
    Object.values(env).some((v) => v !== undefined && typeof v !== 'string')
  ) {
    throw new TypeError(`${where('env')} of thread "${who}" must be an object of string values, got ${show(env)}.`);
  }
  if (cwd !== undefined && typeof cwd !== 'string' && !(cwd instanceof URL)) {
    throw new TypeError(`${where('cwd')} of thread "${who}" must be a path or a file: URL, got ${show(cwd)}.`);
  }
  if (maxOldGenerationSizeMb !== undefined) {
    if (typeof maxOldGenerationSizeMb !== 'number') {
      throw new TypeError(
        `${where('maxOldGenerationSizeMb')} of thread "${who}" must be a number of MiB, got ${show(maxOldGenerationSizeMb)}.`,
      );
    }
    if (!Number.isFinite(maxOldGenerationSizeMb) || maxOldGenerationSizeMb < 1) {
      throw new RangeError(`${where('maxOldGenerationSizeMb')} of thread "${who}" must be at least 1 (MiB).`);
    }
  }
  if (typeof maxHeldMb !== 'number' || !Number.isInteger(maxHeldMb) || maxHeldMb < 1 || maxHeldMb > 2 ** 31 - 1) {
    throw new RangeError(
      `${where('maxHeldMb')} of thread "${who}" must be a whole number of MiB from 1 to ${2 ** 31 - 1}, got ${show(maxHeldMb)}.`,
    );
  }
  return {
    execArgv,
    env,
    cwd: cwd instanceof URL ? fileURLToPath(cwd) : cwd,
    stopTimeout: checkDuration(stopTimeout, where('stopTimeout'), who),
    startTimeout: checkDuration(startTimeout, where('startTimeout'), who),
    maxOldGenerationSizeMb,
    maxHeldBytes: maxHeldMb * 2 ** 20,
    output,
    extendEnv: true,
    pool: undefined,
  };
}

export function notStarted(call: string, who: string): ThreadStateError {
  return new ThreadStateError(`${call} on thread "${who}": the thread has not been started; call start() first.`);
}

export function startedTwice(who: string): ThreadStateError {
  return new ThreadStateError(
    `start() of thread "${who}": threads can only be started once; create a new instance to run again.`,
  );
}
