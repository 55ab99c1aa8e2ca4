import type { Contract } from '../plugin/contract.js';
import type { PluginHost } from '../supervisor/plugin-host.js';
import { ConfigError } from './config.js';
import { knownName } from './control-handler.js';
import type { ControlRequest } from './control-protocol.js';
import { CliError } from './errors.js';
import type { LogRing } from './log-ring.js';
import { type CallMeter, formatMetrics } from './metrics.js';
import type { PluginNotes } from './plugin-notes.js';
import type { Reloader } from './reload.js';

/** What `reload` answers: what it did, or the config's problems (the client exits 2 with them). */
export type ReloadAnswer = { configError: string } | Awaited<ReturnType<Reloader['reload']>>;

/** What the requests served here need of the running host. */
export interface HostOps {
  host: PluginHost<Record<string, Contract>>;
  reloader: Reloader;
  logs: LogRing;
  notes: PluginNotes;
  meter: CallMeter;
  /** Told as a reload begins and ends, for `$NOTIFY_SOCKET`. */
  onReload?: (phase: 'begin' | 'end') => Promise<void>;
}

/**
 * Serves the requests a running `jailthread run` has beyond the control
 * handler's own: reload, logs and metrics. An unknown name is refused with the
 * valid ones listed, as the other commands refuse it.
 */
export function controlOps(ops: HostOps): (request: ControlRequest) => Promise<unknown> {
  const known = (name: string, also?: (name: string) => boolean): string => knownName(ops.host.names(), name, also);
  return async (request) => {
    switch (request.command) {
      case 'reload':
        await ops.onReload?.('begin');
        try {
          const result = await ops.reloader.reload(request.name, request.graceful === true);
          for (const name of [...result.added, ...result.replaced, ...result.removed]) ops.notes.forget(name);
          for (const name of result.removed) ops.meter.forget(name);
          return result;
        } catch (error) {
          if (error instanceof ConfigError) return { configError: error.message } satisfies ReloadAnswer;
          throw error;
        } finally {
          await ops.onReload?.('end');
        }
      case 'logs':
        return ops.logs.last(
          known(request.name, (name) => ops.logs.has(name)),
          request.lines,
          request.after,
        );
      case 'metrics':
        return formatMetrics(await ops.host.status(), ops.meter);
      default:
        throw new CliError(`this host does not serve '${request.command}'`);
    }
  };
}
