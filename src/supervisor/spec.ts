// The public shape of a plugin spec. Its rules and defaults are in
// spec-fields.ts (shared with the command line's config); add()'s reading of
// it is in spec-plan.ts.
import type { Contract, HostFunctions } from '../plugin/contract.js';
import type { Backoff } from './restart-budget.js';
import type { RestartPolicy } from './restart-policy.js';
import type { Sandbox } from './sandbox.js';

export { POLICIES, type RestartPolicy } from './restart-policy.js';

/**
 * The host functions a plugin may call with `callHost()`: required, one per entry of `contract.host`, when
 * the contract names any (else the plugin's first call would fail long after the mistake).
 */
type ServeField<C extends Contract> = string extends keyof NonNullable<C['host']>
  ? {
      /**
       * The host functions this plugin may call with `callHost()`, one per entry of `contract.host`.
       * @default {}
       */
      serve?: Partial<HostFunctions<C>>;
    }
  : keyof NonNullable<C['host']> extends never
    ? {
        /** @default {} (the contract names no host function) */
        serve?: Record<string, never>;
      }
    : {
        /** The host functions this plugin may call with `callHost()`, one per entry of `contract.host`. */
        serve: HostFunctions<C>;
      };

/** One plugin of a PluginHost: where its code is, and how to supervise it. */
export type PluginSpec<C extends Contract = Contract> = PluginSpecFields<C> & ServeField<C>;

/** The fields of a `PluginSpec` besides `serve`. */
export interface PluginSpecFields<C extends Contract = Contract> {
  /**
   * Unique within the host; the plugin thread's name too. Letters, digits, '-', '_' or '.', starting with a
   * letter or digit: it is typed on command lines and shown in comma-separated lists.
   */
  name: string;
  /**
   * The plugin's module: a file: URL or an absolute path (a relative path throws; write
   * `new URL('./plugins/scanner.js', import.meta.url)`). The host never imports it.
   */
  module: string | URL;
  /**
   * The export that is the plugin's class (a JailThread or Plugin subclass).
   * @default 'default'
   */
  export?: string;
  /**
   * The schemas of the plugin's typed calls, both ways; usually the same object the plugin's class declares.
   * @default undefined (no calls)
   */
  contract?: C;
  /**
   * Thread options for the plugin's constructor: `sleeptime` (ms, above 0), `idle`, `args` and any data of the
   * plugin's own.
   * @default {}
   */
  options?: { sleeptime?: number; idle?: boolean; args?: unknown[]; [field: string]: unknown };
  /**
   * `'always'` restarts the plugin whenever it ends, `'on-failure'` when it crashed, was killed, hung or
   * outgrew a limit, `'never'` leaves it down.
   * @default 'on-failure'
   */
  restart?: RestartPolicy;
  /** @default { initial: 100, factor: 2, max: 15000, resetAfter: 30000 } */
  backoff?: Backoff;
  /**
   * At most this many restarts within `restartWindow`; one more failure and the plugin is given up (`'errored'`).
   * @default 3
   */
  maxRestarts?: number;
  /**
   * Milliseconds over which `maxRestarts` is counted: a whole number, at least 1.
   * @default 300000 (5 minutes)
   */
  restartWindow?: number;
  /**
   * Milliseconds `stop()` waits for the plugin's `run()` to return before it is killed.
   * @default 5000
   */
  shutdownTimeout?: number;
  /**
   * Milliseconds a process of the plugin has to begin `run()` (its module loaded, its instance made): past it
   * the process is killed, the start fails with a ThreadStartError naming the timeout, and `restart` decides.
   * @default 30000
   */
  startTimeout?: number;
  /**
   * Health pings, answered by the plugin's own event loop: one every `interval` ms; no answer within `timeout`
   * ms and the plugin is declared unresponsive and killed. `false` turns them off.
   * @default { interval: 1000, timeout: 3000 }
   */
  health?: false | { interval?: number; timeout?: number };
  /**
   * `maxOldGenerationSizeMb`: V8's heap limit (the plugin dies out of memory above it). `maxRssMb`: resident
   * memory, read by the host every `health.interval` (1000 ms with `health: false`); above it the plugin is recycled (stopped gracefully, then restarted).
   * `maxHeldMb`: what the host may hold on the plugin's behalf (frames being received, inputs of its calls
   * being served, unread answers, its kept status, items of its streams not read yet); above it the plugin is killed as `'misbehaved'`.
   * @default {} (no heap or RSS limit; maxHeldMb 128)
   */
  limits?: { maxOldGenerationSizeMb?: number; maxRssMb?: number; maxHeldMb?: number };
  /**
   * Node's permission model for the plugin, or `false` for none. See `Sandbox` for the defaults.
   * @default {} (read its own package, write nothing, no child processes, workers or addons)
   */
  sandbox?: false | Sandbox;
  /**
   * Variables set in the plugin's environment.
   * @default {}
   */
  env?: Record<string, string>;
  /**
   * Host variables passed through to the plugin. Nothing else of the host's environment is visible.
   * @default PATH, HOME, LANG, LC_ALL, TZ, TMPDIR, TERM, NO_COLOR, FORCE_COLOR, NODE_V8_COVERAGE, NODE_DEBUG
   */
  envAllow?: string[];
  /**
   * Node flags of the plugin's process, besides the sandbox's and the heap limit. Never inherited from the host.
   * @default []
   */
  execArgv?: string[];
  /**
   * Working directory of the plugin: an absolute path or a file: URL (a relative path throws). The plugin's
   * own relative paths resolve against it.
   * @default the host's current directory
   */
  cwd?: string | URL;
  /**
   * Processes kept started for this plugin alone (its flags, environment and sandbox; Node and the library
   * loaded, not the plugin's module), so that a restart adopts one instead of forking. `start()` resolves once
   * they are ready; each one taken is replaced in the background; they end when the plugin stops, ends or is
   * given up.
   * @default 0
   */
  spares?: number;
  /**
   * When the plugin's process is forked: `'eager'` by `host.start()`; `'lazy'` by its first call, stream or
   * subscribe (its state is `'lazy'` until then), which waits for it to start.
   * @default 'eager'
   */
  start?: 'eager' | 'lazy';
  /**
   * Whether the spares also import the plugin's module before they are ready, so that a restart that adopts
   * one does not wait for it (as Python's forkserver preloads modules). The module's top-level code then runs
   * in every spare, adopted or not. Nothing to preload without `spares`.
   * @default false
   */
  preloadSpares?: boolean;
}
