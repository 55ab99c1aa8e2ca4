import { slots } from './context.js';
import { ThreadStartError } from './errors.js';
import { anchorHint, isRelativePath, toModuleUrl } from './module-url.js';
import { nextThreadName } from './names.js';
import {
  checkBoolean,
  checkDuration,
  checkName,
  checkProcessOptions,
  DEFAULT_SLEEPTIME,
  type JailThreadOptions,
  type ProcessOptions,
} from './options.js';
import type { ModuleSpec } from './thread-model.js';

/** `new JailThread()`'s arguments, checked: the state a host starts its thread with, and how it forks it. */
export interface ThreadConfig {
  name: string;
  daemon: boolean;
  idle: boolean;
  sleeptime: number;
  /** Passed on to the child's instance: the options without `args`, with `cwd` resolved. */
  options: Record<string, unknown>;
  args: unknown[];
  process: ProcessOptions;
}

/**
 * Checks the constructor's arguments, on either side: the child's instance gets the same ones.
 * @param sent whether they are still to be sent to a child (the host's side); in the child they came
 *   through structured clone already, and cloning them again to check would only slow its start
 */
export function checkThreadConfig(options: JailThreadOptions, args: unknown[], sent = true): ThreadConfig {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`new JailThread(options): options must be an object, got ${String(options)}.`);
  }
  const who = typeof options.name === 'string' ? options.name : 'unnamed';
  const where = (field: string) => `new JailThread({ ${field} })`;
  const name = options.name === undefined ? nextThreadName() : checkName(options.name, where('name'), who);
  const daemon =
    options.daemon === undefined
      ? (slots.current?.daemon ?? false)
      : checkBoolean(options.daemon, where('daemon'), who);
  const idle = options.idle === undefined ? false : checkBoolean(options.idle, where('idle'), who);
  const sleeptime = checkDuration(options.sleeptime ?? DEFAULT_SLEEPTIME, where('sleeptime'), who);
  if (options.args !== undefined && !Array.isArray(options.args)) {
    throw new TypeError(`${where('args')} of thread "${who}" must be an array of constructor arguments.`);
  }
  if (options.args !== undefined && args.length > 0) {
    throw new TypeError(
      `new JailThread() of thread "${who}": pass extra arguments either as options.args or after options, not both.`,
    );
  }
  const process = checkProcessOptions(options, who);
  const { args: _, ...rest } = options;
  const passed = { ...rest, ...(process.cwd === undefined ? {} : { cwd: process.cwd }) };
  const allArgs = options.args ?? args;
  try {
    if (sent) structuredClone([passed, allArgs]);
  } catch (error) {
    throw new TypeError(
      `new JailThread() of thread "${who}": options and args must survive the trip to the child process (structured clone), but ${(error as Error).message}. Pass plain data, not functions or handles.`,
      { cause: error },
    );
  }
  return { name, daemon, idle, sleeptime, options: passed, args: allArgs, process };
}

/** Where `JailThread.fromModule()` finds its class, checked. */
export function moduleSpec(url: string | URL, exportName: unknown): ModuleSpec {
  if (typeof url !== 'string' && !(url instanceof URL)) {
    throw new TypeError(`JailThread.fromModule(url): url must be a file: URL or a path, got ${String(url)}.`);
  }
  if (typeof exportName !== 'string') {
    throw new TypeError(`JailThread.fromModule(url, { export }): export must be a string naming the class's export.`);
  }
  if (isRelativePath(url)) {
    throw new TypeError(
      `JailThread.fromModule(url): '${url}' is a relative path, which would depend on the host's current directory; pass ${anchorHint(String(url), 'module')}.`,
    );
  }
  return { module: toModuleUrl(url), export: exportName };
}

/** Where a subclass started from the host lives: its own `static module`. */
export function classSpec(
  ctor: { readonly name: string; readonly module: string | undefined },
  base: boolean,
  who: string,
): ModuleSpec {
  if (base) {
    throw new ThreadStartError(
      `start() of thread "${who}": a plain JailThread has no run() to execute; subclass it, or use JailThread.fromModule(url).`,
    );
  }
  if (!Object.hasOwn(ctor, 'module') || typeof ctor.module !== 'string') {
    throw new ThreadStartError(
      `start() of thread "${who}": ${ctor.name} does not say where it lives; add \`static override readonly module = import.meta.url;\` to the class.`,
    );
  }
  return { module: ctor.module, className: ctor.name };
}
