import { ThreadStateError } from '../errors.js';
import { schemasFor, sendCall } from '../plugin/contract.js';
import type { PluginState } from './events.js';
import type { PluginProcess } from './life.js';
import type { PluginPlan } from './spec-plan.js';

/**
 * Calls the plugin's method `method` on its live process, validating the
 * input before it leaves and the output when it arrives. `now()` says where
 * the plugin is when the input has passed (validation may be asynchronous).
 */
export function callPlugin(
  plan: PluginPlan,
  method: string,
  input: unknown,
  timeout: number,
  now: () => { state: PluginState; process: PluginProcess | undefined },
): Promise<unknown> {
  const where = `host.call("${plan.name}", "${method}")`;
  const schemas = schemasFor(plan.contract, 'plugin', method, where);
  const send = (sent: unknown) => {
    const { state, process } = now();
    if ((state !== 'running' && state !== 'idle') || process === undefined) {
      throw new ThreadStateError(
        `${where}: plugin "${plan.name}" is ${state}, not running; wait for it to start (host.start(), or its restart after backoff).`,
      );
    }
    return process.port.call(method, sent, timeout);
  };
  return sendCall(schemas, where, input, send, `the plugin's ${method}()`);
}
