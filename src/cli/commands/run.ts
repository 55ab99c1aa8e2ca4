import type { EventEmitter } from 'node:events';
import { deferred } from '../../deferred.js';
import type { Contract } from '../../plugin/contract.js';
import { PluginHost } from '../../supervisor/plugin-host.js';
import { block, inline } from '../../terminal-text.js';
import type { CliIo, Command } from '../command.js';
import { type Config, ConfigError, loadConfig } from '../config.js';
import { controlHandler } from '../control-handler.js';
import { controlOps } from '../control-ops.js';
import { listenControl } from '../control-server.js';
import { messageOf, UsageError } from '../errors.js';
import { REPORTED_EVENTS } from '../host-events.js';
import { formatEvent, formatHostLine, formatPluginLine, LOG_FORMATS, type LogFormat } from '../log-format.js';
import { LogRing } from '../log-ring.js';
import { CallMeter, formatMetrics } from '../metrics.js';
import { type MetricsAddress, parseMetricsAddress, serveMetrics } from '../metrics-server.js';
import { Notifier } from '../notify.js';
import { PluginNotes } from '../plugin-notes.js';
import { preflight } from '../preflight.js';
import { Reloader } from '../reload.js';
import { chooseSocket, placeHostSocket } from '../socket-path.js';
import { buildSpecs } from '../specs.js';

/**
 * A PluginHost whose plugin output goes to `io`, each line tagged with its
 * plugin, and into `ring` for `jailthread logs`. A plugin's escape sequences
 * are shown, not obeyed: a carriage return or cursor move could otherwise
 * overwrite the tag with a line that reads like the host's.
 */
function createHost(io: CliIo, ring: LogRing, format: LogFormat): PluginHost {
  return new PluginHost({
    logger: (entry) =>
      (entry.stream === 'stdout' ? io.stdout : io.stderr).write(
        formatPluginLine(format, entry.plugin, ring.add(entry)),
      ),
  });
}

/** `N of M plugins running`, for the service manager's STATUS= line. */
async function runningStatus(host: PluginHost): Promise<string> {
  const rows = await host.status();
  const up = rows.filter((row) => row.state === 'running' || row.state === 'idle').length;
  return `${up} of ${rows.length} plugins running`;
}

/**
 * Resolves once no plugin is starting or waiting to restart: each runs, or
 * was given up or stopped. Then READY=1 tells the truth about the start.
 */
async function everyPluginSettled(host: PluginHost): Promise<void> {
  const unsettled = async () =>
    (await host.status()).some((row) => row.state === 'starting' || row.state === 'backoff');
  // Listening before the first look: a change between the two is not missed.
  await new Promise<void>((resolve) => {
    let done = false;
    const check = () => {
      void unsettled().then((still) => {
        if (still || done) return;
        done = true;
        (host as EventEmitter).off('state', check);
        resolve();
      });
    };
    (host as EventEmitter).on('state', check);
    check();
  });
}

/** `run`'s own options, checked before anything is read or started. */
interface RunOptions {
  exitOnErrored: boolean;
  format: LogFormat;
  metrics: MetricsAddress | undefined;
}

function runOptions(values: Record<string, string | boolean | undefined>): RunOptions {
  const format = values['log-format'] ?? 'text';
  if (!LOG_FORMATS.includes(format as LogFormat))
    throw new UsageError(
      `--log-format must be one of ${LOG_FORMATS.join(', ')}, got '${inline(String(format))}'`,
      'run',
    );
  const metrics = values.metrics;
  return {
    exitOnErrored: values['exit-on-errored'] === true,
    format: format as LogFormat,
    metrics: typeof metrics === 'string' ? parseMetricsAddress(metrics) : undefined,
  };
}

/**
 * How long `run` waits for each plugin's module to load in its check: a module still loading then is
 * started anyway, with a warning, so a slow (or hung) module delays the host by this much at most.
 */
const RUN_PROBE_TIMEOUT = 3000;

/** Where routes send their calls: the host, each call counted for the metrics. */
const meteredRouter = (host: PluginHost<Record<string, Contract>>, meter: CallMeter) => ({
  call: (plugin: string, method: string, input: unknown) =>
    meter.time(plugin, method, () => host.call(plugin, method, input)),
});

/** Adds every plugin; the host's own spec checks become config errors naming the plugin. */
async function addPlugins(
  host: PluginHost,
  config: Config,
  router: ReturnType<typeof meteredRouter>,
  warn: (text: string) => void,
): Promise<void> {
  const specs = await buildSpecs(config, router);
  await preflight(config, specs, {
    timeout: RUN_PROBE_TIMEOUT,
    onSlow: (warning) => warn(`jailthread run: ${warning}`),
  });
  for (const [index, spec] of specs.entries()) {
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
async function runHost(
  configPath: string,
  socketFlag: string | undefined,
  io: CliIo,
  env: NodeJS.ProcessEnv,
  options: RunOptions,
) {
  const { format } = options;
  const say = (text: string) => io.stderr.write(formatHostLine(format, text));
  // Everything that can reject the config happens before anything starts.
  const config = await loadConfig(configPath);
  const exitOnErrored = options.exitOnErrored || config.exitOnErrored === true;
  const socket = chooseSocket(socketFlag, config.socket, env);
  if (socket.candidates !== undefined) {
    const place = await placeHostSocket(socket.candidates);
    socket.path = place.path;
    for (const problem of place.skipped) say(`jailthread run: ${block(problem)}; using ${inline(place.path)}`);
  }
  const logs = new LogRing();
  const host = createHost(io, logs, format);
  const meter = new CallMeter();
  const router = meteredRouter(host, meter);
  await addPlugins(host, config, router, say);
  const notes = new PluginNotes(host);
  const reloader = new Reloader(host, config, router, say);
  const metricsServer =
    options.metrics === undefined
      ? undefined
      : await serveMetrics(options.metrics, async () => formatMetrics(await host.status(), meter));
  /** Closes the metrics server, a scraper's kept-alive connection included. */
  const closeMetrics = () =>
    new Promise<void>((resolve) => {
      if (metricsServer === undefined) return resolve();
      metricsServer.close(() => resolve());
      metricsServer.closeAllConnections();
    });

  const notifier = new Notifier(env, say);
  let stopping = false;
  /** The host begins to stop: no reload from now on, and the service manager is told. */
  const stopBegins = () => {
    reloader.stopping();
    if (stopping) return;
    stopping = true;
    void notifier.send('STOPPING=1', 'STATUS=stopping the plugins');
  };
  const stopRequested = deferred<void>();
  const requestStop = () => {
    stopBegins();
    stopRequested.resolve();
  };
  const monotonic = () => `MONOTONIC_USEC=${process.hrtime.bigint() / 1000n}`;
  // Listening before start(): a second host is refused before it forks anything (and the metrics
  // server, already listening, is closed, or it would keep this process alive).
  const server = await listenControl(
    socket.path,
    controlHandler(host, {
      onStopAll: () => requestStop(),
      onStopBegin: stopBegins,
      notes,
      meter,
      more: controlOps({
        host,
        reloader,
        logs,
        notes,
        meter,
        onReload: async (phase) => {
          if (phase === 'begin') await notifier.send('RELOADING=1', monotonic(), 'STATUS=reloading the config');
          else await notifier.send('READY=1', `STATUS=${await runningStatus(host)}`);
        },
      }),
    }),
    config.control,
  ).catch(async (error: unknown) => {
    await closeMetrics();
    throw error;
  });

  const listeners = REPORTED_EVENTS.map((event) => {
    const listener = (...args: unknown[]) => io.stderr.write(formatEvent(format, event, args as never));
    (host as EventEmitter).on(event, listener);
    return [event, listener] as const;
  });
  let code = 0;
  // Given up: with --exit-on-errored the host cannot do its job, so it stops and says so by its exit code.
  const onErrored = ({ plugin }: { plugin: string }) => {
    if (!exitOnErrored || code === 3) return;
    code = 3;
    say(`jailthread: ${inline(plugin)} was given up and --exit-on-errored is set; stopping every plugin, exit code 3`);
    stopBegins();
    host.stop().then(requestStop, (error: Error) => {
      say(`jailthread run: stopping failed: ${block(messageOf(error))}`);
      requestStop();
    });
  };
  (host as EventEmitter).on('errored', onErrored);
  // The host's own handlers stop the plugins; this one only tells the service manager, first.
  const onSignal = () => stopBegins();
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  const undoSignals = host.handleSignals((error) => {
    if (error !== undefined) say(`jailthread run: stopping after a signal failed: ${block(messageOf(error))}`);
    requestStop();
  });

  try {
    say(`jailthread: host pid ${process.pid} runs ${host.names().join(', ')}; control socket ${inline(socket.path)}`);
    const bound = metricsServer?.address();
    if (typeof bound === 'object' && bound !== null)
      say(
        `jailthread: metrics at http://${bound.family === 'IPv6' ? `[${bound.address}]` : bound.address}:${bound.port}/metrics`,
      );
    try {
      await host.start();
      if (code === 0 && !stopping) {
        await everyPluginSettled(host);
        if (!stopping) await notifier.send('READY=1', `STATUS=${await runningStatus(host)}`);
      }
    } catch (error) {
      say(`jailthread run: starting the plugins failed: ${block(messageOf(error))}; stopping`);
      code = 1;
      await host.stop().catch(() => {});
      requestStop();
    }
    await stopRequested.promise;
    say(`jailthread: plugins stopped; closing ${inline(socket.path)} and exiting`);
  } finally {
    undoSignals();
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    for (const [event, listener] of listeners) (host as EventEmitter).off(event, listener);
    (host as EventEmitter).off('errored', onErrored);
    notes.close();
    await server.close();
    await notifier.flush();
    await closeMetrics();
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

Options:
  --exit-on-errored      once a plugin is given up, stop every plugin and exit
                         with code 3 (so systemd or Kubernetes restarts the
                         host); the config's "exitOnErrored": true says the same
  --log-format text|json  json: one JSON object per line for every plugin line
                         ({time, plugin, stream, line}) and host event
                         ({time, plugin, event, ...its fields})
  --metrics HOST:PORT    serve the metrics of \`jailthread metrics\` at
                         http://HOST:PORT/metrics (Prometheus text format);
                         ':PORT' or 'PORT' is 127.0.0.1; an address that
                         cannot be bound is refused before anything starts

The control socket is --socket, else $JAILTHREAD_SOCKET, else the config's
"socket", else the per-user default. Refuses to start if another host
answers on it; a socket left by a host that died is replaced. It serves 32
clients at once, each with 10 s to send its request and to read the answer;
the config's "control": { "maxConnections", "timeout" } changes these.

Example:
  jailthread run /etc/jailthread/jails.json`,
  options: { 'exit-on-errored': { type: 'boolean' }, 'log-format': { type: 'string' }, metrics: { type: 'string' } },
  positionals: { min: 1, names: ['CONFIG'] },
  run: ({ positionals, values, socket, io, env }) =>
    runHost(positionals[0] as string, socket, io, env, runOptions(values)),
};
