import { appendFile, rename, writeFile } from 'node:fs/promises';

// How the writer's lines start: the syslog header of sshd, and nginx's error-log header.
const SYSLOG_SSHD = String.raw`^\w{3} [ \d]\d \d{2}:\d{2}:\d{2} \S+ sshd\[\d+\]: `;
const NGINX_ERROR = String.raw`^\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2} \[error\] \d+#\d+: \*\d+ `;
const NGINX_REQUEST = String.raw`server: \S*, request: "[^"]*", host: "[^"]*"(?:, referrer: "[^"]*")?`;

/**
 * failregex patterns for the sshd lines of {@link AuthLogWriter}, after
 * fail2ban's filter.d/sshd.conf, with the syslog header spelt out.
 */
export const SSHD_FAILREGEX: string[] = [
  `${SYSLOG_SSHD}Failed (?:password|publickey) for (?:invalid user )?(?P<user>.*?) from <HOST>` +
    String.raw`(?: port \d+)?(?: ssh\d*)?\s*$`,
];

/**
 * failregex patterns for the nginx error-log lines of {@link AuthLogWriter},
 * after fail2ban's filter.d/nginx-http-auth.conf, with the date spelt out.
 */
export const NGINX_HTTP_AUTH_FAILREGEX: string[] = [
  `${NGINX_ERROR}user "(?P<user>[^"]*)":? (?:password mismatch|was not found in "[^"]*"), ` +
    String.raw`client: <HOST>, ${NGINX_REQUEST}\s*$`,
];

// The shipped jail, as fail2ban, cuts a line's date out before its failregex sees it.
const withoutDate = (pattern: string) => pattern.replace(/^\^.*?(?=(?:\\S\+ sshd|\\\[error))/, '^\\s*');

/** {@link SSHD_FAILREGEX} as the shipped jail (and fail2ban) take it: without the date. */
export const SSHD_JAIL_FAILREGEX: string[] = SSHD_FAILREGEX.map(withoutDate);

/** {@link NGINX_HTTP_AUTH_FAILREGEX} as the shipped jail (and fail2ban) take it: without the date. */
export const NGINX_HTTP_AUTH_JAIL_FAILREGEX: string[] = NGINX_HTTP_AUTH_FAILREGEX.map(withoutDate);

/**
 * The parts in {@link AuthLogWriter.tick}'s script, in this order: a brute
 * force over ssh, a user who logs in, a brute force over http, a user who
 * mistypes once then logs in.
 */
export const DEMO_ADDRESSES: readonly string[] = ['203.0.113.7', '198.51.100.4', '203.0.113.9', '192.0.2.15'];

/** Options of {@link AuthLogWriter}. */
export interface AuthLogWriterOptions {
  /**
   * The addresses of {@link AuthLogWriter.tick}'s script, by part (see
   * {@link DEMO_ADDRESSES}); with fewer than four, parts share addresses.
   * @default DEMO_ADDRESSES
   */
  addresses?: string[];
  /**
   * Where nginx's lines go, as a server keeps its web log apart from auth.log.
   * @default the writer's path
   */
  httpPath?: string;
  /**
   * The clock of the lines' timestamps, in local time as syslog and nginx write them.
   * @default () => new Date()
   */
  now?: () => Date;
}

type Step =
  | { event: 'failedSsh'; part: number; user?: string }
  | { event: 'acceptedSsh' | 'failedHttpAuth'; part: number; user: string };

// Per 10 ticks: part 0 fails 4 times, part 2 fails 3 times, part 3 fails once, parts 1 and 3 log in.
const SCRIPT: readonly Step[] = [
  { event: 'failedSsh', part: 0 },
  { event: 'acceptedSsh', part: 1, user: 'alice' },
  { event: 'failedHttpAuth', part: 2, user: 'admin' },
  { event: 'failedSsh', part: 0 },
  { event: 'failedSsh', part: 3, user: 'bob' },
  { event: 'acceptedSsh', part: 3, user: 'bob' },
  { event: 'failedHttpAuth', part: 2, user: 'admin' },
  { event: 'failedSsh', part: 0 },
  { event: 'failedHttpAuth', part: 2, user: 'guest' },
  { event: 'failedSsh', part: 0 },
];

// Accounts that exist: sshd and nginx word their failures differently for the others.
const SSH_USERS = new Set(['root', 'alice', 'bob']);
const HTPASSWD_USERS = new Set(['admin', 'alice']);
const GUESSED_USERS = ['root', 'admin', 'oracle', 'test', 'ubuntu'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const HOSTNAME = 'demo';

const two = (value: number): string => String(value).padStart(2, '0');
const clock = (date: Date): string => `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;

/**
 * Writes the demo's log: sshd lines in syslog format and nginx http-auth
 * lines in error-log format, each appended whole, in call order. Keeps no
 * timer and no open file: the caller paces it.
 */
export class AuthLogWriter {
  /** The log file. */
  readonly path: string;
  readonly #httpPath: string;
  readonly #addresses: readonly string[];
  readonly #now: () => Date;
  // Numbers every line, for deterministic pids, ports and connection numbers.
  #lines = 0;
  #guesses = 0;
  #ticks = 0;
  // Appends, renames and truncations run one at a time, so the file has them in call order.
  #queue: Promise<unknown> = Promise.resolve();

  /** @throws {RangeError} when `addresses` is empty. */
  constructor(path: string, options: AuthLogWriterOptions = {}) {
    const { addresses = DEMO_ADDRESSES, now = () => new Date(), httpPath = path } = options;
    if (addresses.length === 0) throw new RangeError('addresses must hold at least one address');
    this.path = path;
    this.#httpPath = httpPath;
    this.#addresses = [...addresses];
    this.#now = now;
  }

  /**
   * Appends an sshd failed-password line, e.g. `Nov 24 10:15:02 demo
   * sshd[4242]: Failed password for invalid user admin from 203.0.113.7 port 52144 ssh2`.
   * Resolves with the line (without its `\n`) once written.
   * @param user The account tried.
   * @default user: the next of a few guesses, root, admin, oracle, test, ubuntu, in turn
   */
  failedSsh(ip: string, user?: string): Promise<string> {
    const account = user ?? (GUESSED_USERS[this.#guesses++ % GUESSED_USERS.length] as string);
    const who = SSH_USERS.has(account) ? account : `invalid user ${account}`;
    return this.#sshd((port) => `Failed password for ${who} from ${ip} port ${port} ssh2`);
  }

  /**
   * Appends an sshd accepted-password line, e.g. `Nov 24 10:15:02 demo
   * sshd[4243]: Accepted password for alice from 198.51.100.4 port 50022 ssh2`.
   * Resolves with the line once written.
   */
  acceptedSsh(ip: string, user: string): Promise<string> {
    return this.#sshd((port) => `Accepted password for ${user} from ${ip} port ${port} ssh2`);
  }

  /**
   * Appends an nginx basic-auth failure, e.g. `2026/11/24 10:15:02 [error] 311#311: *17 user "admin":
   * password mismatch, client: 203.0.113.9, server: demo, request: "GET /admin HTTP/1.1", host: "demo"`;
   * for a user not in the password file, nginx's `was not found in "/etc/nginx/.htpasswd"` instead.
   * Resolves with the line once written.
   */
  failedHttpAuth(ip: string, user: string): Promise<string> {
    const date = this.#now();
    const connection = ++this.#lines;
    const stamp = `${date.getFullYear()}/${two(date.getMonth() + 1)}/${two(date.getDate())} ${clock(date)}`;
    const problem = HTPASSWD_USERS.has(user) ? 'password mismatch' : 'was not found in "/etc/nginx/.htpasswd"';
    return this.#append(
      `${stamp} [error] 311#311: *${connection} user "${user}": ${problem}, client: ${ip}, ` +
        `server: ${HOSTNAME}, request: "GET /admin HTTP/1.1", host: "${HOSTNAME}"`,
      this.#httpPath,
    );
  }

  /**
   * Appends the next line of a fixed script that cycles every 10 ticks:
   * in each cycle the first address fails 4 times over ssh, the third fails 3
   * times over http, the fourth fails once then logs in, the second logs in.
   * Resolves with the line once written.
   */
  tick(): Promise<string> {
    // Both indexes are in range: modulo a non-empty array's length.
    const step = SCRIPT[this.#ticks++ % SCRIPT.length] as Step;
    const ip = this.#addresses[step.part % this.#addresses.length] as string;
    switch (step.event) {
      case 'failedSsh':
        return this.failedSsh(ip, step.user);
      case 'acceptedSsh':
        return this.acceptedSsh(ip, step.user);
      case 'failedHttpAuth':
        return this.failedHttpAuth(ip, step.user);
    }
  }

  /**
   * Renames the log to `path + '.1'` (replacing it) and starts a new, empty
   * log, as logrotate's default `create` mode does.
   */
  rotate(): Promise<void> {
    return this.#enqueue(async () => {
      try {
        await rename(this.path, `${this.path}.1`);
      } catch (error) {
        // Nothing written yet: nothing to keep.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
      await writeFile(this.path, '');
    });
  }

  /** Empties the log in place (same file), as logrotate's `copytruncate` mode does; creates it if missing. */
  truncate(): Promise<void> {
    return this.#enqueue(() => writeFile(this.path, ''));
  }

  #sshd(message: (port: number) => string): Promise<string> {
    const date = this.#now();
    const line = ++this.#lines;
    const day = String(date.getDate()).padStart(2, ' ');
    const port = 49152 + ((line * 7919) % 16384);
    return this.#append(
      `${MONTHS[date.getMonth()]} ${day} ${clock(date)} ${HOSTNAME} sshd[${4241 + line}]: ${message(port)}`,
    );
  }

  #append(line: string, file = this.path): Promise<string> {
    return this.#enqueue(async () => {
      await appendFile(file, `${line}\n`);
      return line;
    });
  }

  #enqueue<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(task);
    this.#queue = result.catch(() => undefined);
    return result;
  }
}
