import { MAX_RESPONSE_BYTES } from './control-protocol.js';
import type { ControlHandler } from './control-server.js';
import { CliError } from './errors.js';
import type { ControlledHost } from './host-api.js';
import { fitStatuses } from './status-budget.js';

/** Room for the rows in an answer: the line limit less `{"ok":true,"result":` and `}`. */
const ROWS_BUDGET = MAX_RESPONSE_BYTES - 64;

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
        if (name === undefined) return fitStatuses(rows, ROWS_BUDGET);
        const row = rows.find((candidate) => candidate.name === name);
        return row === undefined ? undefined : fitStatuses([row], ROWS_BUDGET)[0];
      }
      case 'idle':
        host.setIdle(known(request.name), request.idle);
        return { name: request.name, idle: request.idle };
      case 'call':
        // The plugin's contract checks the method and its input.
        return await host.call(known(request.name), request.method, request.input);
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
