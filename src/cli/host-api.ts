// The part of PluginHost the CLI drives, as an interface: every CLI file but
// commands/run.ts depends on this only, so the control handler can be tested
// against a host that needs no plugin processes.

export type { PluginRow, PluginState } from '../supervisor/events.js';

import type { PluginRow } from '../supervisor/events.js';

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
