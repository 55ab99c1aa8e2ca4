// A local copy of the few PluginHost members the CLI uses, written from the
// documented API (the class is being built on another branch). Every CLI file
// but commands/run.ts depends on this interface only, so merging the real
// class means deleting these declarations in favour of its exported types.

/** A plugin's lifecycle state, as PluginHost reports it. */
export type PluginState = 'starting' | 'running' | 'idle' | 'stopping' | 'stopped' | 'backoff' | 'errored';

/** One row of `PluginHost.status()`. */
export interface PluginRow {
  name: string;
  state: PluginState;
  pid: number | null;
  restarts: number;
  /** Milliseconds since the current process began `run()`; null when not running. */
  uptime: number | null;
  /** Bytes, from the last health answer; null when unknown. */
  memory: { rss: number } | null;
  /** How the last process ended, e.g. "exit code 1"; null if it has not ended. */
  lastExit: string | null;
  /** The plugin's own `status()`: the last one it reported if not running; `{ error }` if it failed. */
  status: unknown;
}

/** A host function a plugin may call; the CLI's are forwarders to another plugin. */
export type HostFunction = (input: unknown, context: { plugin: string }) => unknown;

/** What the CLI passes to `PluginHost.add()`: the config's plugin, paths resolved, contract loaded. */
export interface HostPluginSpec {
  name: string;
  module: string;
  export?: string;
  contract?: object;
  serve?: Record<string, HostFunction>;
  options?: { sleeptime?: number; idle?: boolean; args?: unknown[]; [key: string]: unknown };
  restart?: 'always' | 'on-failure' | 'never';
  backoff?: { initial?: number; factor?: number; max?: number; resetAfter?: number };
  maxRestarts?: number;
  restartWindow?: number;
  shutdownTimeout?: number;
  health?: false | { interval?: number; timeout?: number };
  limits?: { maxOldGenerationSizeMb?: number; maxRssMb?: number };
  sandbox?: false | { read?: string[]; write?: string[]; childProcess?: boolean; worker?: boolean; addons?: boolean };
  env?: Record<string, string>;
  envAllow?: string[];
  execArgv?: string[];
  cwd?: string;
}

/** The host events the CLI reports, one line each, plus 'error' so an emitted error never crashes the host. */
export type HostEventName = 'crash' | 'restart' | 'errored' | 'unresponsive' | 'recycle' | 'error';

/** The part of PluginHost the CLI drives. */
export interface ControlledHost {
  start(): Promise<void>;
  /** All plugins in reverse order, or one (which then stays stopped). */
  stop(name?: string): Promise<void>;
  restart(name: string): Promise<void>;
  setIdle(name: string, idle: boolean): void;
  /** Plugin names in the order added. */
  names(): string[];
  status(): Promise<PluginRow[]>;
  /** Used by config `routes`: a host function that forwards to another plugin. */
  call(name: string, method: string, input: unknown, options?: { timeout?: number }): Promise<unknown>;
  /** First SIGINT/SIGTERM stops, the second kills; returns the undo. */
  handleSignals(): () => void;
  on(event: HostEventName, listener: (...args: unknown[]) => void): this;
  off(event: HostEventName, listener: (...args: unknown[]) => void): this;
}
