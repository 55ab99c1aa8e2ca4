import { ThreadStateError } from '../errors.js';
import { schemasFor, sendCall } from '../plugin/contract.js';
import type { PluginState } from './events.js';
import type { PluginProcess } from './life.js';
import type { PluginPlan } from './spec-plan.js';
import type { StateChanges } from './state-wait.js';

/**
 * Calls the plugin's method `method` on its live process, validating the
 * input before it leaves and the output when it arrives. A plugin that is
 * starting or in backoff is waited for, within the call's timeout.
 */
export function callPlugin(
  plan: PluginPlan,
  method: string,
  input: unknown,
  { timeout, signal }: { timeout: number; signal: AbortSignal | undefined },
  now: () => { state: PluginState; process: PluginProcess | undefined },
  changes: StateChanges,
): Promise<unknown> {
  const where = `host.call("${plan.name}", "${method}")`;
  const schemas = schemasFor(plan.contract, 'plugin', method, where);
  const send = async (sent: unknown) => {
    const left = await changes.untilRunning(where, plan.name, () => now().state, timeout, signal);
    const process = now().process;
    if (process === undefined) {
      throw new ThreadStateError(`${where}: plugin "${plan.name}" has no process at the moment; call again.`);
    }
    return process.port.call(method, sent, left, signal);
  };
  return sendCall(schemas, where, input, send, `the plugin's ${method}()`);
}
