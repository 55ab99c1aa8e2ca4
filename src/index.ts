export { AbortError } from './abort.js';
export {
  JailThreadError,
  ProtocolError,
  ThreadStartError,
  ThreadStateError,
  ThreadTimeoutError,
  ValidationError,
} from './errors.js';
export {
  active_count,
  activeCount,
  current_thread,
  currentThread,
  enumerate,
  get_ident,
  getIdent,
  MainThread,
  main_thread,
  mainThread,
  PluginThread,
} from './module-functions.js';
export type { JailThreadOptions } from './options.js';
export type { PluginCallOptions, PluginStreamOptions } from './plugin/call-options.js';
export type {
  Contract,
  EventData,
  EventInput,
  EventNames,
  HostFunctions,
  MethodSchemas,
  PluginMethods,
  StreamItem,
  StreamSchemas,
} from './plugin/contract.js';
export { defineContract } from './plugin/contract.js';
export { Plugin } from './plugin/plugin.js';
export type { StandardSchemaV1 } from './plugin/standard-schema.js';
export type { LogEntry, PluginHostEvents, PluginRow, PluginState } from './supervisor/events.js';
export { PluginHost, type PluginHostOptions } from './supervisor/plugin-host.js';
export type { Backoff } from './supervisor/restart-budget.js';
export { networkRestricted, type Sandbox } from './supervisor/sandbox.js';
export type { PluginSpec, RestartPolicy } from './supervisor/spec.js';
export { JailThread } from './thread.js';
export type { ExitReason } from './thread-model.js';
export type { CallOptions, FromModuleOptions, JailThreadEvents, StopOptions } from './thread-types.js';
export type { StopResult } from './view.js';
