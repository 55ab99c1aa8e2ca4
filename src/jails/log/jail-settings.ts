import type { DatePatternName } from './date-pattern.js';

/**
 * A log jail's settings, its `options.args[0]`, named as in fail2ban's
 * jail.conf; times in seconds. Relative paths resolve against the plugin's
 * `cwd` (by default the config's folder).
 */
export interface JailSettings {
  /** The log file, or files, to follow; one that does not exist yet is waited for. */
  logpath: string | string[];
  /** The patterns of a failure (JavaScript RegExp syntax, plus Python's `(?P<name>…)`), each with one `<HOST>` or `<ADDR>`. */
  failregex: string | string[];
  /**
   * Patterns of lines that are never failures, even when a failregex matches.
   * @default []
   */
  ignoreregex?: string | string[];
  /**
   * Addresses and CIDR ranges whose failures are not counted (`127.0.0.1`, `10.0.0.0/8`, `::1`).
   * @default []
   */
  ignoreip?: string[];
  /**
   * Failures within `findtime` that ban an address.
   * @default 5
   */
  maxretry?: number;
  /**
   * Seconds over which failures count, on the lines' own times.
   * @default 600
   */
  findtime?: number;
  /**
   * Seconds a ban lasts; -1 for ever.
   * @default 600
   */
  bantime?: number;
  /**
   * The date format of the lines: `syslog`, `iso8601`, `nginx-error` or `nginx-access`.
   * @default undefined (whichever of them comes first in the line)
   */
  datepattern?: DatePatternName;
  /**
   * Where to start in a file found at start-up: `'end'` reads only what is written later, `'start'` reads it whole.
   * @default 'end'
   */
  from?: 'end' | 'start';
  /**
   * A JSON file that keeps the bans across restarts (fail2ban's database); its folder must exist and be writable.
   * @default undefined (bans end with the process)
   */
  dbfile?: string;
  /**
   * Milliseconds before a failed ban or unban is retried: `initial`, doubling at each failure up to `max`.
   * @default { initial: 1000, max: 60000 }
   */
  retry?: { initial: number; max: number };
  /**
   * Milliseconds between two reads of the logs.
   * @default 250
   */
  pollinterval?: number;
}
