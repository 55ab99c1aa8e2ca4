import type { EventEmitter } from 'node:events';
import { deferred } from '../../deferred.js';
import { PluginHost } from '../../supervisor/plugin-host.js';
import type { CliIo, Command } from '../command.js';
import { type Config, ConfigError, loadConfig } from '../config.js';
import { controlHandler } from '../control-handler.js';
import { listenControl } from '../control-server.js';
import { messageOf } from '../errors.js';
import { formatHostEvent, REPORTED_EVENTS } from '../host-events.js';
import { chooseSocket, placeHostSocket } from '../socket-path.js';
import { buildSpecs } from '../specs.js';
import { block, inline, terminalLine } from '../terminal-text.js';

/**
 * A PluginHost whose plugin output goes to `io`, each line tagged with its
 * plugin. A plugin's escape sequences are shown, not obeyed: a carriage
 * return or cursor move could otherwise overwrite the tag with a line that
 * reads like the host's.
 */
function createHost(io: CliIo): PluginHost {
  return new PluginHost({
    logger: ({ plugin, stream, line }) =>
      (stream === 'stdout' ? io.stdout : io.stderr).write(`[${plugin}] ${terminalLine(line)}\n`),
  });
}

/** Adds every plugin; the host's own spec checks become config errors naming the plugin. */
async function addPlugins(host: PluginHost, config: Config): Promise<void> {
  for (const [index, spec] of (await buildSpecs(config, host)).entries()) {
    try {
      host.add(spec);
    } catch (error) {
      throw new ConfigError(config.file, [`plugins[${index}] ('${spec.name}'): ${messageOf(error)}`]);
    }
  }
}

/**
 * Runs a host for a config until it is told to stop: over the socket (`stop`
 * without a name), or with SIGINT/SIGTERM. Resolves with the exit code.
 */
async function runHost(configPath: string, socketFlag: string | undefined, io: CliIo, env: NodeJS.ProcessEnv) {
  // Everything that can reject the config happens before anything starts.
  const config = await loadConfig(configPath);
  const socket = chooseSocket(socketFlag, config.socket, env);
  if (socket.candidates !== undefined) {
    const place = await placeHostSocket(socket.candidates);
    socket.path = place.path;
    for (const problem of place.skipped)
      io.stderr.write(`jailthread run: ${block(problem)}; using ${inline(place.path)}\n`);
  }
  const host = createHost(io);
  await addPlugins(host, config);

  const stopRequested = deferred<void>();
  const requestStop = () => stopRequested.resolve();
  // Listening before start(): a second host is refused before it forks anything.
  const server = await listenControl(
    socket.path,
    controlHandler(host, { onStopAll: () => requestStop() }),
    config.control,
  );

  const listeners = REPORTED_EVENTS.map((event) => {
    const listener = (...args: unknown[]) => io.stderr.write(formatHostEvent(event, args as never));
    (host as EventEmitter).on(event, listener);
    return [event, listener] as const;
  });
  const undoSignals = host.handleSignals((error) => {
    if (error !== undefined)
      io.stderr.write(`jailthread run: stopping after a signal failed: ${block(messageOf(error))}\n`);
    requestStop();
  });

  let code = 0;
  try {
    io.stderr.write(
      `jailthread: host pid ${process.pid} runs ${host.names().join(', ')}; control socket ${inline(socket.path)}\n`,
    );
    try {
      await host.start();
    } catch (error) {
      io.stderr.write(`jailthread run: starting the plugins failed: ${block(messageOf(error))}; stopping\n`);
      code = 1;
      await host.stop().catch(() => {});
      requestStop();
    }
    await stopRequested.promise;
    io.stderr.write(`jailthread: plugins stopped; closing ${inline(socket.path)} and exiting\n`);
  } finally {
    undoSignals();
    for (const [event, listener] of listeners) (host as EventEmitter).off(event, listener);
    await server.close();
  }
  return code;
}

/** `jailthread run CONFIG`: starts a config's plugins and serves control requests until stopped. */
export const runCommand: Command = {
  name: 'run',
  synopsis: 'CONFIG',
  summary: 'start the plugins of a JSON config and serve control requests until stopped',
  details: `Loads CONFIG (a JSON file; relative paths in it are resolved against its
folder), listens on the control socket, starts every plugin in order and
stays in the foreground. Plugin output is printed with a [name] prefix; host
events (crash, restart, errored, unresponsive, recycle) one line each on stderr.
Stops cleanly on \`jailthread stop\`, Ctrl-C or SIGTERM (a second signal kills
the plugins), then exits with code 0.

The control socket is --socket, else $JAILTHREAD_SOCKET, else the config's
"socket", else the per-user default. Refuses to start if another host
answers on it; a socket left by a host that died is replaced. It serves 32
clients at once, each with 10 s to send its request and to read the answer;
the config's "control": { "maxConnections", "timeout" } changes these.

Example:
  jailthread run /etc/jailthread/jails.json`,
  options: {},
  positionals: { min: 1, names: ['CONFIG'] },
  run: ({ positionals, socket, io, env }) => runHost(positionals[0] as string, socket, io, env),
};
