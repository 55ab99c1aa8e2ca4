import { abortError } from '../abort.js';
import { ThreadStateError } from '../errors.js';
import type { StreamSchemas } from '../plugin/contract.js';
import { validate } from '../plugin/contract.js';
import type { PluginState } from './events.js';
import type { PluginProcess } from './life.js';
import type { PluginPlan } from './spec-plan.js';
import type { StateChanges } from './state-wait.js';

export interface StreamOptions {
  timeout: number;
  highWaterMark: number;
  signal: AbortSignal | undefined;
}

/**
 * Reads the plugin's stream method `method`: the input is validated before it leaves, each item when it
 * arrives. Waits for a plugin that is starting or in backoff, as a call does. Ending early (break,
 * return(), a bad item) ends the plugin's generator.
 */
export async function* streamPlugin(
  plan: PluginPlan,
  schemas: StreamSchemas,
  method: string,
  input: unknown,
  options: StreamOptions,
  now: () => { state: PluginState; process: PluginProcess | undefined },
  changes: StateChanges,
): AsyncGenerator<unknown, void, undefined> {
  const where = `host.stream("${plan.name}", "${method}")`;
  await validate(schemas.input, input, `the input of ${where}`, 'pass what the contract says');
  const { signal } = options;
  if (signal?.aborted === true) throw abortError(where, signal);
  await changes.untilRunning(where, plan.name, () => now().state, options.timeout, signal);
  const process = now().process;
  if (process === undefined) {
    throw new ThreadStateError(`${where}: plugin "${plan.name}" has no process at the moment; call again.`);
  }
  const reader = process.port.stream(method, input, options);
  try {
    for (;;) {
      const next = await reader.next();
      if (next.done === true) return;
      yield await validate(
        schemas.yields,
        next.value,
        `an item of ${where}`,
        `the plugin's ${method}() must yield what the contract says`,
      );
    }
  } finally {
    await reader.return?.();
  }
}
