import { type ControlRequest, MAX_RESPONSE_BYTES } from './control-protocol.js';
import type { ControlHandler } from './control-server.js';
import { StreamAnswer } from './control-stream.js';
import { CliError } from './errors.js';
import type { ControlledHost } from './host-api.js';
import type { CallMeter } from './metrics.js';
import type { PluginNotes } from './plugin-notes.js';
import { fitStatuses } from './status-budget.js';

/** Room for the rows in an answer: the line limit less `{"ok":true,"result":` and `}`. */
const ROWS_BUDGET = MAX_RESPONSE_BYTES - 64;

/**
 * `name` if it is one of `names` (or `also(name)` holds), else the error every command prints for an
 * unknown name, listing the valid ones.
 */
export function knownName(
  names: readonly string[],
  name: string,
  also: (name: string) => boolean = () => false,
): string {
  if (!names.includes(name) && !also(name))
    throw new CliError(
      `unknown jail '${name}'; valid names: ${names.join(', ') || '(none)'}; see \`jailthread status\``,
    );
  return name;
}

/** Options of `controlHandler()`. */
export interface ControlHandlerOptions {
  /**
   * Called once a `stop` without a name has stopped every plugin, after its
   * answer is on its way: the host then closes the socket and exits.
   */
  onStopAll: () => void;
  /** Called as a `stop` without a name begins, before any plugin stops: a reload is refused from then on. */
  onStopBegin?: () => void;
  /** Says why each plugin that is not running is not, in its status row. */
  notes?: PluginNotes;
  /** Counts each `call` for `jailthread metrics`. */
  meter?: Pick<CallMeter, 'time' | 'stream'>;
  /** Answers the requests this handler does not know (reload, logs, metrics: see control-ops.ts). */
  more?: (request: ControlRequest) => Promise<unknown>;
}

type CallRequest = Extract<ControlRequest, { command: 'call' }>;

/**
 * The stream of `request` when its method is one of the plugin's stream methods, else undefined:
 * host.stream() checks the contract at once, and whatever it refuses is host.call()'s to answer
 * or refuse in its own words (no such method, a bad input).
 */
function streamOf(
  host: ControlledHost,
  name: string,
  request: CallRequest,
  meter: ControlHandlerOptions['meter'],
): StreamAnswer | undefined {
  const controller = new AbortController();
  let items: AsyncIterable<unknown>;
  try {
    items = host.stream(name, request.method, request.input, {
      signal: controller.signal,
      ...(request.timeout === undefined ? {} : { timeout: request.timeout }),
    });
  } catch (error) {
    if (error instanceof TypeError) return undefined;
    throw error;
  }
  return new StreamAnswer(
    meter === undefined ? items : meter.stream(name, request.method, items, controller.signal),
    (reason) => controller.abort(reason),
  );
}

/**
 * Turns control requests into PluginHost calls. Names are checked here, not
 * only by the host, so every command's unknown-jail error reads the same and
 * lists the valid names.
 */
export function controlHandler(host: ControlledHost, options: ControlHandlerOptions): ControlHandler {
  const known = (name: string): string => knownName(host.names(), name);
  return async (request) => {
    switch (request.command) {
      case 'ping':
        return { pid: process.pid };
      case 'status': {
        // Checked first: an unknown name must not wait for every plugin's status().
        const name = request.name === undefined ? undefined : known(request.name);
        const notes = options.notes;
        const rows = (await host.status()).map((row) => (notes === undefined ? row : notes.tell(row)));
        if (name === undefined) return fitStatuses(rows, ROWS_BUDGET);
        const row = rows.find((candidate) => candidate.name === name);
        return row === undefined ? undefined : fitStatuses([row], ROWS_BUDGET)[0];
      }
      case 'idle':
        host.setIdle(known(request.name), request.idle);
        return { name: request.name, idle: request.idle };
      case 'call': {
        // The plugin's contract checks the method and its input.
        const name = known(request.name);
        const stream = streamOf(host, name, request, options.meter);
        if (stream !== undefined) return stream;
        const timeout = request.timeout === undefined ? {} : { timeout: request.timeout };
        const call = () => host.call(name, request.method, request.input, timeout);
        return await (options.meter === undefined ? call() : options.meter.time(name, request.method, call));
      }
      case 'restart':
        await host.restart(known(request.name));
        options.notes?.forget(request.name);
        return { name: request.name };
      case 'stop':
        if (request.name !== undefined) {
          await host.stop(known(request.name));
          options.notes?.asked(request.name, `\`jailthread stop ${request.name}\` stopped it`);
          return { name: request.name };
        }
        options.onStopBegin?.();
        await host.stop();
        // After this turn, so the answer is written before the socket starts closing.
        setImmediate(options.onStopAll);
        return { stopped: host.names() };
      default:
        if (options.more === undefined) throw new CliError(`this host does not serve '${request.command}'`);
        return options.more(request);
    }
  };
}
