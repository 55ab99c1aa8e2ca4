// The part of PluginHost that control requests drive, so the control handler
// can be tested against a host that forks nothing.
import type { PluginHost } from '../supervisor/plugin-host.js';

export type { PluginRow } from '../supervisor/events.js';

export type ControlledHost = Pick<PluginHost, 'names' | 'status' | 'setIdle' | 'restart' | 'stop'>;
