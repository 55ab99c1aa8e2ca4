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

/** `routes` as host functions: each forwards its input to a method of another plugin and returns its answer. */
function routesToServe(routes: NonNullable<PluginConfig['routes']>, host: Router) {
  const serve: Record<string, (input: unknown) => Promise<unknown>> = {};
  for (const [fn, { plugin, method }] of Object.entries(routes))
    serve[fn] = (input) => host.call(plugin, method, input);
  return serve;
}

/**
 * The PluginHost specs of a loaded config, in its order.
 * @param host where routes forward their calls
 * @throws ConfigError when a contract cannot be loaded
 */
export async function buildSpecs(config: Config, host: Router): Promise<PluginSpec[]> {
  const specs: PluginSpec[] = [];
  for (const [index, plugin] of config.plugins.entries()) {
    const { contract: _contract, routes, ...rest } = plugin;
    // zod types optional keys as `?: T | undefined`; parsed JSON never holds undefined, so absent stays absent.
    const spec = { ...rest } as PluginSpec;
    const contract = await loadContract(config, index, plugin);
    if (contract !== undefined) spec.contract = contract;
    if (routes !== undefined) spec.serve = routesToServe(routes, host);
    specs.push(spec);
  }
  return specs;
}
