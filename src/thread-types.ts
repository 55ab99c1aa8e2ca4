import type { JailThreadOptions } from './options.js';

/** Events of a JailThread. In the host: the child's news; in the child: the host's messages. */
export interface JailThreadEvents {
  /** The child process has exited and its IPC channel has closed (host side). */
  exit: [exitCode: number | null, signalCode: NodeJS.Signals | null];
  /** `run()` threw, or a frame failed validation. Without a listener it is printed to stderr instead. */
  error: [error: Error];
  /** A user message from the other side, sent with `send()`. */
  message: [data: unknown];
}

/** Options of `JailThread.fromModule()`: the thread options plus which export holds the class. */
export interface FromModuleOptions extends JailThreadOptions {
  /**
   * The module's export that is the JailThread subclass.
   * @default 'default'
   */
  export?: string;
}

export interface StopOptions {
  /**
   * Milliseconds to wait for `run()` to return before SIGTERM.
   * @default the thread's `stopTimeout` option (5000)
   */
  timeout?: number;
  /**
   * Milliseconds between SIGTERM and SIGKILL.
   * @default 1000
   */
  grace?: number;
}

export interface CallOptions {
  /**
   * Milliseconds to wait for the child's answer before rejecting with ThreadTimeoutError.
   * @default 5000
   */
  timeout?: number;
}
