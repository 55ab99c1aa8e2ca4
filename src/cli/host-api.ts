// The part of PluginHost that control requests drive, so the control handler
// can be tested against a host that forks nothing.

import type { PluginRow } from '../supervisor/events.js';
import type { PluginHost } from '../supervisor/plugin-host.js';

export type { PluginRow };

/** A row as the control socket sends it: `statusError` says why `status` is null when it was too large to send. */
export type StatusRow = PluginRow & { statusError?: string };

export type ControlledHost = Pick<PluginHost, 'names' | 'status' | 'setIdle' | 'restart' | 'stop'> & {
  /** A plugin's method, as `set NAME banip IP` calls it: the plugin's contract checks the method and input. */
  call(name: string, method: string, input: unknown, options?: { timeout?: number }): Promise<unknown>;
  /** A plugin's stream method, as `jailthread call` reads it; throws a TypeError at once when it is not one. */
  stream(
    name: string,
    method: string,
    input: unknown,
    options?: { timeout?: number; signal?: AbortSignal },
  ): AsyncIterable<unknown>;
};
