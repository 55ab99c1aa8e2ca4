import { execa } from 'execa';
import { inline } from '../terminal-text.js';
import { messageOf } from './errors.js';

/** How long one notification may take: systemd-notify waits until the manager has read it. */
const NOTIFY_TIMEOUT = 10_000;

/**
 * Tells systemd (or whatever bound `$NOTIFY_SOCKET`) where the host is, for
 * `Type=notify`: READY=1, RELOADING=1, STOPPING=1, with a STATUS= line.
 * Node cannot send on a Unix datagram socket, so each message is sent by
 * `systemd-notify` (systemd's own tool), as a child of the host: the unit
 * needs `NotifyAccess=all`. Messages go out one at a time, in order; a
 * failure is reported once and never stops the host. Without
 * `$NOTIFY_SOCKET` nothing is sent.
 */
export class Notifier {
  readonly #socket: string | undefined;
  readonly #warn: (text: string) => void;
  #queue: Promise<void> = Promise.resolve();
  #warned = false;

  constructor(env: NodeJS.ProcessEnv, warn: (text: string) => void) {
    this.#socket = env.NOTIFY_SOCKET === '' ? undefined : env.NOTIFY_SOCKET;
    this.#warn = warn;
  }

  /** Resolves once every message asked for has been sent or has failed. */
  flush(): Promise<void> {
    return this.#queue;
  }

  /** Sends `assignments` (`READY=1`, `STATUS=...`); resolves once sent or failed. */
  send(...assignments: string[]): Promise<void> {
    const socket = this.#socket;
    if (socket === undefined) return Promise.resolve();
    // STATUS= is one line: a newline would start another assignment.
    const lines = assignments.map((assignment) => inline(assignment));
    this.#queue = this.#queue.then(async () => {
      const result = await execa('systemd-notify', lines, {
        env: { NOTIFY_SOCKET: socket },
        timeout: NOTIFY_TIMEOUT,
        reject: false,
        stdin: 'ignore',
      }).catch((error: unknown) => ({ failed: true, exitCode: undefined, stderr: messageOf(error), code: undefined }));
      if (!result.failed || this.#warned) return;
      this.#warned = true;
      const why =
        (result as { code?: string }).code === 'ENOENT'
          ? 'systemd-notify was not found (install systemd, or unset NOTIFY_SOCKET)'
          : `systemd-notify failed: ${inline(String(result.stderr).trim() || `exit code ${result.exitCode}`)}`;
      this.#warn(`jailthread run: NOTIFY_SOCKET is set but ${why}; the service manager is not told the host's state`);
    });
    return this.#queue;
  }
}
