import path from 'node:path';
import { currentDirectory } from '../cwd.js';
import type { HostHooks } from '../host/launch.js';
import { ThreadPort } from '../host/port.js';
import { answerCall, schemasFor } from '../plugin/contract.js';
import { checkThreadConfig } from '../thread-config.js';
import type { LogEntry } from './events.js';
import { pluginEnv, sandboxFlags } from './sandbox.js';
import type { PluginPlan } from './spec-plan.js';
import { subscriptionsOf } from './subscriptions.js';

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

/**
 * The port of one new, not yet started process of the plugin: its sandbox,
 * environment, limits and hooks, checked as a thread's options are.
 */
export function pluginPort(plan: PluginPlan, setup: ForkSetup): ThreadPort {
  const here = currentDirectory();
  const cwd = here === undefined ? plan.cwd : path.resolve(here, plan.cwd ?? '.');
  const options = {
    ...plan.options,
    name: plan.name,
    daemon: false,
    idle: setup.idle,
    execArgv: [...plan.execArgv, ...(plan.sandbox === undefined ? [] : sandboxFlags(plan.sandbox, setup.moduleUrl))],
    env: pluginEnv(plan.envAllow, plan.env),
    // Resolved now, not when a spare is forked: the pool of spares is keyed by it.
    ...(cwd === undefined ? {} : { cwd }),
    stopTimeout: plan.shutdownTimeout,
    startTimeout: plan.startTimeout,
    ...(plan.limits.maxOldGenerationSizeMb === undefined
      ? {}
      : { maxOldGenerationSizeMb: plan.limits.maxOldGenerationSizeMb }),
    ...(plan.limits.maxHeldMb === undefined ? {} : { maxHeldMb: plan.limits.maxHeldMb }),
    output: 'prefix' as const,
  };
  const config = checkThreadConfig(options, []);
  const { logger } = setup;
  // Beyond the public options: the child sees `env` only, its output goes to the logger, its spares are its own.
  config.process = {
    ...config.process,
    extendEnv: false,
    ...(logger === undefined ? {} : { output: 'lines' as const }),
    pool: setup.pool,
  };
  const hooks: HostHooks = {
    serve: (method, input, signal) => serveHostFunction(plan, method, input, signal),
    onEvent: (event, data) => subscriptionsOf(plan)?.deliver(event, data),
    ...(logger === undefined
      ? {}
      : { onLine: (stream, line, continued) => logger({ plugin: plan.name, stream, line, continued }) }),
  };
  return new ThreadPort(
    config,
    {
      // A plugin's messages have no listener: its typed calls are the way to talk to it.
      deliver: () => undefined,
      report: (error) => setup.onError(error),
      exited: () => undefined,
    },
    hooks,
  );
}

/** A call from the plugin to a host function: the plugin is untrusted, so its input is checked here too. */
async function serveHostFunction(
  plan: PluginPlan,
  method: string,
  input: unknown,
  signal: AbortSignal,
): Promise<unknown> {
  const where = `plugin "${plan.name}" calling host function ${method}`;
  const schemas = schemasFor(plan.contract, 'host', method, where);
  const handler = Object.hasOwn(plan.serve, method) ? plan.serve[method] : undefined;
  if (handler === undefined) {
    throw new TypeError(
      `${where}: the host serves no such function to this plugin (it serves: ${Object.keys(plan.serve).join(', ') || 'none'}); add it to the spec's serve.`,
    );
  }
  const answer = (parsed: unknown) => handler(parsed, { plugin: plan.name, signal });
  return answerCall(schemas, where, input, answer, ['the plugin', `serve.${method}`]);
}
