import type { PluginSpec } from '../supervisor/spec.js';
import { planOf } from '../supervisor/spec.js';
import { type Config, ConfigError } from './config.js';
import { messageOf } from './errors.js';
import { probeModule } from './module-probe.js';

/**
 * The checks of a config's specs that `run`, `reload` and `test` make before
 * anything starts, past the config's own: each spec as `host.add()` checks
 * it, and each module found and exporting a plugin class (probed in a
 * process of its own, all at once). Every problem is listed.
 * @throws ConfigError naming each plugin and its problem
 */
export async function preflight(config: Config, specs: readonly PluginSpec[]): Promise<void> {
  const problems = await Promise.all(
    specs.map(async (spec, index) => {
      const where = `plugins[${index}] ('${spec.name}')`;
      try {
        planOf(spec);
      } catch (error) {
        return `${where}: ${messageOf(error)}`;
      }
      const problem = await probeModule(spec);
      return problem === undefined ? undefined : `${where}.module: ${problem}`;
    }),
  );
  const found = problems.filter((problem) => problem !== undefined);
  if (found.length > 0) throw new ConfigError(config.file, found);
}
