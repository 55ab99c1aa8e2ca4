import type { EventEmitter } from 'node:events';
import type { ExitReason, ModuleSpec } from './thread-model.js';
import type { StatePatch } from './thread-state.js';
import type { CallOptions, JailThreadEvents, StopOptions } from './thread-types.js';
import type { StopResult } from './view.js';

// The public JailThread picks one side when it is constructed, the host's
// handle (host/handle.ts) or the child's instance (child/instance.ts), and
// delegates to it: each side's rules live with that side, not in branches.

/** The state fields both sides mirror, as this side has them. */
export interface Mirror {
  name: string;
  idle: boolean;
  sleeptime: number;
  /** `null` before start, as the public `active` says. */
  active: boolean | null;
}

/** The public object, as its side sees it: where its events go and its `status()`. */
export type Owner = EventEmitter<JailThreadEvents> & { status(flavor?: string): unknown };

/**
 * What the public JailThread delegates to. Arguments arrive validated where
 * both sides check them alike; each side checks what only it uses.
 */
export interface ThreadSide {
  readonly state: Readonly<Mirror>;
  /** start() has been called (always so in the child): `daemon` is fixed and `active` settable. */
  readonly started: boolean;
  /** Written only while not `started`. */
  daemon: boolean;
  readonly pid: number | undefined;
  readonly exitCode: number | null;
  readonly signalCode: NodeJS.Signals | null;
  readonly exitReason: ExitReason | null;
  isAlive(): boolean;
  /** A change made on this side: applied here and sent to the other side. */
  set(patch: StatePatch): void;
  sleep(ms: number): Promise<void>;
  /** @param spec the module and class to run, resolved only once the start is allowed */
  start(spec: () => ModuleSpec): Promise<void>;
  stop(options: StopOptions): Promise<StopResult>;
  join(timeout: number | undefined): Promise<void>;
  getStatus(flavor: string | undefined, options: CallOptions): Promise<unknown>;
  send(data: unknown): Promise<void>;
  signal(call: string, signal: NodeJS.Signals): void;
}

/** Applies a change the other side made, or this one: the one place the mirrored fields are written. */
export function applyPatch(state: Mirror, patch: StatePatch): void {
  if (patch.name !== undefined) state.name = patch.name;
  if (patch.idle !== undefined) state.idle = patch.idle;
  if (patch.sleeptime !== undefined) state.sleeptime = patch.sleeptime;
  if (patch.active !== undefined) state.active = patch.active;
}
