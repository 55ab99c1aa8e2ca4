import { toModuleUrl } from '../module-url.js';
import type { Contract } from '../plugin/contract.js';
import type { PluginHost } from '../supervisor/plugin-host.js';
import type { PluginSpec } from '../supervisor/spec.js';
import { type Config, ConfigError, fieldPath, type PluginConfig } from './config.js';
import { messageOf } from './errors.js';

/**
 * Imports a plugin's contract: the module should hold zod schemas only, since
 * it runs in the host, unsandboxed.
 * @throws ConfigError naming the field when the module or its export is missing
 */
async function loadContract(config: Config, index: number, plugin: PluginConfig): Promise<object | undefined> {
  if (plugin.contract === undefined) return undefined;
  const { module, export: exportName } = plugin.contract;
  const where = fieldPath(['plugins', index, 'contract']);
  let namespace: Record<string, unknown>;
  try {
    namespace = (await import(toModuleUrl(module))) as Record<string, unknown>;
  } catch (error) {
    throw new ConfigError(config.file, [`${where}: cannot import ${module} (${messageOf(error)}); check the path`]);
  }
  const contract = namespace[exportName];
  if (typeof contract !== 'object' || contract === null) {
    const exports = Object.keys(namespace).join(', ') || 'none';
    throw new ConfigError(config.file, [
      `${where}: ${module} has no object export '${exportName}' (its exports: ${exports}); name one after '#'`,
    ]);
  }
  return contract;
}

/** A host of plugins named by the config, so any name: the config's check has made sure they exist. */
type Router = Pick<PluginHost<Record<string, Contract>>, 'call'>;

/**
 * `routes` as host functions: each forwards its input to a method of another plugin and returns its answer.
 * The caller's signal goes along: a call the calling plugin aborts, or gives up on, is cancelled in the other.
 */
function routesToServe(routes: NonNullable<PluginConfig['routes']>, host: Router) {
  const serve: Record<string, (input: unknown, context: { signal: AbortSignal }) => Promise<unknown>> = {};
  for (const [fn, { plugin, method }] of Object.entries(routes))
    serve[fn] = (input, { signal }) => host.call(plugin, method, input, { signal });
  return serve;
}

type Side = Record<string, unknown>;
/** One side of a loaded contract (`plugin` or `host`): the config's check cannot vouch for a module's shape. */
function sideOf(contract: object | undefined, side: 'plugin' | 'host'): Side {
  const value = (contract as Record<string, unknown> | undefined)?.[side];
  return typeof value === 'object' && value !== null ? (value as Side) : {};
}
const names = (side: Side) => Object.keys(side).join(', ') || 'none';

/**
 * Routes checked against the loaded contracts, before anything starts: else a route to a method the target does
 * not have is found at its first call, and the plugin crash-loops on it.
 */
function routeProblems(config: Config, contracts: (object | undefined)[]): string[] {
  const problems: string[] = [];
  const indexOf = new Map(config.plugins.map((plugin, index) => [plugin.name, index]));
  for (const [index, plugin] of config.plugins.entries()) {
    const host = sideOf(contracts[index], 'host');
    const routes = plugin.routes ?? {};
    for (const [fn, { plugin: target, method }] of Object.entries(routes)) {
      const where = fieldPath(['plugins', index, 'routes', fn]);
      const targetIndex = indexOf.get(target) as number;
      const methods = sideOf(contracts[targetIndex], 'plugin');
      if (!Object.hasOwn(host, fn)) {
        const has =
          contracts[index] === undefined ? 'this plugin has no contract' : `its contract.host has: ${names(host)}`;
        problems.push(`${where}: '${fn}' is not a host function of this plugin's contract (${has}); route only those`);
      } else if (!Object.hasOwn(methods, method)) {
        const has =
          contracts[targetIndex] === undefined
            ? `plugins[${targetIndex}] has no contract`
            : `its contract.plugin has: ${names(methods)}`;
        problems.push(
          `${where}: '${target}.${method}' is not a method of plugin '${target}' (${has}); route to one of its methods`,
        );
      }
    }
    const missing = Object.keys(host).filter((fn) => !Object.hasOwn(routes, fn));
    // Else the plugin's first callHost() would fail, long after the mistake.
    if (missing.length > 0)
      problems.push(
        `${fieldPath(['plugins', index, 'routes'])}: no route for ${missing.join(', ')} of its contract.host; add "${missing[0]}": "plugin.method"`,
      );
  }
  return problems;
}

/**
 * The PluginHost specs of a loaded config, in its order.
 * @param host where routes forward their calls
 * @throws ConfigError when a contract cannot be loaded or a route does not match the contracts
 */
export async function buildSpecs(config: Config, host: Router): Promise<PluginSpec[]> {
  const contracts: (object | undefined)[] = [];
  for (const [index, plugin] of config.plugins.entries()) contracts.push(await loadContract(config, index, plugin));
  const problems = routeProblems(config, contracts);
  if (problems.length > 0) throw new ConfigError(config.file, problems);
  return config.plugins.map(({ contract: _contract, routes, ...rest }, index) => {
    // zod types optional keys as `?: T | undefined`; parsed JSON never holds undefined, so absent stays absent.
    const spec = { ...rest } as PluginSpec;
    const contract = contracts[index];
    if (contract !== undefined) spec.contract = contract;
    if (routes !== undefined) spec.serve = routesToServe(routes, host);
    return spec;
  });
}
