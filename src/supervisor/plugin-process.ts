import path from 'node:path';
import { currentDirectory } from '../cwd.js';
import { handleOf } from '../host/handle.js';
import { answerCall, schemasFor } from '../plugin/contract.js';
import { JailThread } from '../thread.js';
import { pluginEnv, sandboxFlags } from './sandbox.js';
import type { PluginPlan } from './spec.js';

/** A plugin's output line, for a PluginHost's logger. */
export interface LogEntry {
  plugin: string;
  stream: 'stdout' | 'stderr';
  line: string;
  /** The line goes on in the next entry: a line over the 65 536-character maximum comes in pieces. */
  continued: boolean;
}

/** What a plugin's process is forked with, beyond its plan. */
export interface ForkSetup {
  /** The plugin's module as a file: URL, for its sandbox's read paths. */
  moduleUrl: string;
  idle: boolean;
  /** Names the plugin's own pool of spares. */
  pool: string;
  logger: ((entry: LogEntry) => void) | undefined;
  onError(error: Error): void;
}

/** A new, not yet started JailThread for one life of the plugin: its sandbox, environment, limits and hooks. */
export function forkPlugin(plan: PluginPlan, setup: ForkSetup): JailThread {
  const here = currentDirectory();
  const cwd = here === undefined ? plan.cwd : path.resolve(here, plan.cwd ?? '.');
  const thread = JailThread.fromModule(plan.module, {
    ...plan.options,
    export: plan.export,
    name: plan.name,
    daemon: false,
    idle: setup.idle,
    execArgv: [...plan.execArgv, ...(plan.sandbox === undefined ? [] : sandboxFlags(plan.sandbox, setup.moduleUrl))],
    env: pluginEnv(plan.envAllow, plan.env),
    // Resolved now, not when a spare is forked: the pool of spares is keyed by it.
    ...(cwd === undefined ? {} : { cwd }),
    stopTimeout: plan.shutdownTimeout,
    ...(plan.limits.maxOldGenerationSizeMb === undefined
      ? {}
      : { maxOldGenerationSizeMb: plan.limits.maxOldGenerationSizeMb }),
    ...(plan.limits.maxHeldMb === undefined ? {} : { maxHeldMb: plan.limits.maxHeldMb }),
    output: 'prefix',
  });
  const { logger } = setup;
  const handle = handleOf(thread);
  // fromModule() constructs outside a child's runtime, so this is a handle: were it not, the plugin would run unsandboxed.
  if (handle === undefined) throw new Error(`plugin "${plan.name}": its thread is not a host's handle.`);
  handle.supervise({
    hooks: {
      serve: (method, input) => serveHostFunction(plan, method, input),
      ...(logger === undefined
        ? {}
        : { onLine: (stream, line, continued) => logger({ plugin: plan.name, stream, line, continued }) }),
    },
    isolateEnv: true,
    captureOutput: logger !== undefined,
    pool: setup.pool,
  });
  thread.on('error', setup.onError);
  return thread;
}

/** A call from the plugin to a host function: the plugin is untrusted, so its input is checked here too. */
async function serveHostFunction(plan: PluginPlan, method: string, input: unknown): Promise<unknown> {
  const where = `plugin "${plan.name}" calling host function ${method}`;
  const schemas = schemasFor(plan.contract, 'host', method, where);
  const handler = Object.hasOwn(plan.serve, method) ? plan.serve[method] : undefined;
  if (handler === undefined) {
    throw new TypeError(
      `${where}: the host serves no such function to this plugin (it serves: ${Object.keys(plan.serve).join(', ') || 'none'}); add it to the spec's serve.`,
    );
  }
  const answer = (parsed: unknown) => handler(parsed, { plugin: plan.name });
  return answerCall(schemas, where, input, answer, ['the plugin', `serve.${method}`]);
}
