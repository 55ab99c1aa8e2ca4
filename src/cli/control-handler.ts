import type { ControlHandler } from './control-server.js';
import { CliError } from './errors.js';
import type { ControlledHost } from './host-api.js';

/** Options of `controlHandler()`. */
export interface ControlHandlerOptions {
  /**
   * Called once a `stop` without a name has stopped every plugin, after its
   * answer is on its way: the host then closes the socket and exits.
   */
  onStopAll: () => void;
}

/**
 * Turns control requests into PluginHost calls. Names are checked here, not
 * only by the host, so every command's unknown-jail error reads the same and
 * lists the valid names.
 */
export function controlHandler(host: ControlledHost, options: ControlHandlerOptions): ControlHandler {
  const known = (name: string): string => {
    const names = host.names();
    if (!names.includes(name))
      throw new CliError(
        `unknown jail '${name}'; valid names: ${names.join(', ') || '(none)'}; see \`jailthread status\``,
      );
    return name;
  };
  return async (request) => {
    switch (request.command) {
      case 'ping':
        return { pid: process.pid };
      case 'status': {
        // Checked first: an unknown name must not wait for every plugin's status().
        const name = request.name === undefined ? undefined : known(request.name);
        const rows = await host.status();
        return name === undefined ? rows : rows.find((row) => row.name === name);
      }
      case 'idle':
        host.setIdle(known(request.name), request.idle);
        return { name: request.name, idle: request.idle };
      case 'restart':
        await host.restart(known(request.name));
        return { name: request.name };
      case 'stop':
        if (request.name !== undefined) {
          await host.stop(known(request.name));
          return { name: request.name };
        }
        await host.stop();
        // After this turn, so the answer is written before the socket starts closing.
        setImmediate(options.onStopAll);
        return { stopped: host.names() };
    }
  };
}
