import type { ExitReason } from '../thread-model.js';

/**
 * Where a plugin is in its life. `idle` is `running` with the thread's `idle` flag set; `lazy` is a plugin
 * with `start: 'lazy'` that `host.start()` has readied but not forked, until its first call.
 */
export type PluginState = 'lazy' | 'starting' | 'running' | 'idle' | 'stopping' | 'stopped' | 'backoff' | 'errored';

/** One row of `PluginHost.status()`. */
export interface PluginRow {
  name: string;
  state: PluginState;
  /** The current process's PID, or the last one's once it has ended; null before the first start. */
  pid: number | null;
  /** How many times the plugin's process was started again, by policy or by `restart()`. */
  restarts: number;
  /** Milliseconds since the current process began `run()`; null while it is not running. */
  uptime: number | null;
  /** Resident memory in bytes at the last health answer; null when not running or not yet known. */
  memory: { rss: number; heapUsed: number } | null;
  /** How the last process ended (`exit code 1`, `signal SIGKILL`, `out of memory`, `unresponsive`, `rss limit`), or null. */
  lastExit: string | null;
  /** The plugin's own `status()`; its last reported one once it is not running; `{ error }` when asking failed. */
  status: unknown;
}

/** Events of a PluginHost. Each carries the plugin's name. */
export interface PluginHostEvents {
  /** A plugin's state changed (`idle` is `running` with the plugin's idle flag, not a change of state). */
  state: [event: { plugin: string; from: PluginState; to: PluginState }];
  /** A plugin's process ended, for whatever reason; the policy is applied after this event. */
  exit: [
    event: {
      plugin: string;
      reason: string;
      exitCode: number | null;
      signalCode: NodeJS.Signals | null;
      exitReason: ExitReason | null;
    },
  ];
  /** A plugin's process ended when it was not asked to stop, or failed to start. */
  crash: [event: { plugin: string; reason: string; exitReason: ExitReason | null; error?: Error }];
  /** A plugin's process was started again after a crash, a recycle, an `always` exit, or `restart()`. */
  restart: [event: { plugin: string; attempt: number; delay: number; pid: number | undefined; reason: string }];
  /** A plugin was given up: its restart budget is spent, or its policy is `never`. The other plugins go on. */
  errored: [event: { plugin: string; reason: string }];
  /** A plugin's event loop did not answer a health ping in time; it is killed and handled by its policy. */
  unresponsive: [event: { plugin: string; pid: number | undefined; timeout: number }];
  /** A plugin outgrew its RSS limit; it is stopped gracefully and handled by its policy. */
  recycle: [event: { plugin: string; reason: string; rss: number; limit: number }];
  /** An error a plugin's `run()` threw or its thread reported. Without a listener it is printed to stderr. */
  error: [error: Error, plugin: string];
}

/** A plugin's output line, for a PluginHost's logger. */
export interface LogEntry {
  plugin: string;
  stream: 'stdout' | 'stderr';
  line: string;
  /** The line goes on in the next entry: a line over the 65 536-character maximum comes in pieces. */
  continued: boolean;
}
