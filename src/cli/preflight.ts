import type { PluginSpec } from '../supervisor/spec.js';
import { planOf } from '../supervisor/spec-plan.js';
import { type Config, ConfigError } from './config.js';
import { messageOf } from './errors.js';
import { PROBE_TIMEOUT, probeModule } from './module-probe.js';

/** How long each module may take to load, and what a module still loading then is. */
export interface PreflightOptions {
  timeout: number;
  /**
   * Told of a module still loading at the deadline, which is then not a problem: `run` cannot tell a
   * slow module from a hung one, so it starts it (its own start has its own deadline). Without it, a
   * problem, as `test` has it.
   */
  onSlow?: (warning: string) => void;
}

/**
 * The checks of a config's specs that `run`, `reload` and `test` make before
 * anything starts, past the config's own: each spec as `host.add()` checks
 * it, and each module found and exporting a plugin class (probed in a
 * process of its own, all at once, each within `slow.timeout` ms). Every
 * problem is listed.
 * @throws ConfigError naming each plugin and its problem
 */
export async function preflight(
  config: Config,
  specs: readonly PluginSpec[],
  slow: PreflightOptions = { timeout: PROBE_TIMEOUT },
): Promise<void> {
  const problems = await Promise.all(
    specs.map(async (spec, index) => {
      const where = `plugins[${index}] ('${spec.name}')`;
      try {
        planOf(spec);
      } catch (error) {
        return `${where}: ${messageOf(error)}`;
      }
      const probed = await probeModule(spec, slow.timeout);
      if (probed.ok) return undefined;
      if (probed.timedOut && slow.onSlow !== undefined) {
        slow.onSlow(`${where}.module: not checked: ${probed.problem}; starting it anyway`);
        return undefined;
      }
      return `${where}.module: ${probed.problem}`;
    }),
  );
  const found = problems.filter((problem) => problem !== undefined);
  if (found.length > 0) throw new ConfigError(config.file, found);
}
