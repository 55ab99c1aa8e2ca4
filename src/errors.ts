/**
 * The base of every error jailthread raises itself. `code` is stable across
 * releases; match on it (or on the class) rather than on the message.
 */
export class JailThreadError extends Error {
  readonly code: string = 'ERR_JAILTHREAD';
  override name = 'JailThreadError';
}

/**
 * A call that the thread's state does not allow: starting twice, joining
 * before start, setting `daemon` after start, sending to an exited thread.
 */
export class ThreadStateError extends JailThreadError {
  override readonly code: string = 'ERR_THREAD_STATE';
  override name = 'ThreadStateError';
}

/**
 * `start()` failed: the child could not load the module, find the export, or
 * construct the thread. `cause` is the child's own error, rebuilt with its
 * name, message and stack.
 */
export class ThreadStartError extends JailThreadError {
  override readonly code: string = 'ERR_THREAD_START';
  override name = 'ThreadStartError';
}

/** A message across the IPC channel failed validation. */
export class ProtocolError extends JailThreadError {
  override readonly code: string = 'ERR_THREAD_PROTOCOL';
  override name = 'ProtocolError';
}

/** A call on a thread did not complete within its timeout. */
export class ThreadTimeoutError extends JailThreadError {
  override readonly code: string = 'ERR_THREAD_TIMEOUT';
  override name = 'ThreadTimeoutError';
}

/** A value crossing between a plugin and its host did not match its contract's schema. */
export class ValidationError extends JailThreadError {
  override readonly code: string = 'ERR_VALIDATION';
  override name = 'ValidationError';
  /** One entry per problem, the first 5 only: where in the value (`a.b.0`), and what was wrong. */
  readonly issues: { path: string; message: string }[];

  constructor(message: string, issues: { path: string; message: string }[] = []) {
    super(message);
    this.issues = issues;
  }
}

/**
 * Every class above by name: an error of one of them that crosses the
 * process boundary is rebuilt as that class. A new class goes here too.
 */
export const ERROR_CLASSES: Readonly<Record<string, new (message: string) => JailThreadError>> = {
  JailThreadError,
  ThreadStateError,
  ThreadStartError,
  ProtocolError,
  ThreadTimeoutError,
  ValidationError,
};
