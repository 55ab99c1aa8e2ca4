export { JailThreadError, ProtocolError, ThreadStartError, ThreadStateError, ThreadTimeoutError } from './errors.js';
export type { ExitReason } from './host/exit-reason.js';
export type { JailThreadOptions } from './options.js';
export type { CallOptions, FromModuleOptions, JailThreadEvents, StopOptions } from './thread.js';
export { JailThread } from './thread.js';
export type { StopResult } from './view.js';
