import { type Ban, BanList } from './ban-list.js';
import { type DatePatternName, dateOf } from './date-pattern.js';
import { compileFailregex, compileIgnoreregex, matchHost } from './failregex.js';
import { FailureCounter } from './failures.js';
import { ignoreList } from './ignoreip.js';

/** Options of {@link JailFilter}: a jail's settings, times in ms (`bantime` Infinity for ever). */
export interface JailFilterOptions {
  failregex: readonly string[];
  ignoreregex?: readonly string[];
  ignoreip?: readonly string[];
  datepattern?: DatePatternName | undefined;
  findtime: number;
  maxretry: number;
  bantime: number;
}

/** The counts `fail2ban-client status JAIL` shows, but the file list. */
export interface JailCounts {
  filter: { currentlyFailed: number; totalFailed: number };
  actions: { currentlyBanned: number; totalBanned: number; bannedIPList: string[] };
}

/**
 * A jail's matching, counting and bans, as fail2ban 1.0 does them. A line's
 * date is found and cut out; the failregex sees the rest. A failure is
 * counted at the line's own time: a line older than `findtime` is ignored
 * (fail2ban ignores those it finds at start-up), one from the future counts
 * as now. Failures of a banned address count too; reaching `maxretry` hands
 * the address to the bans, which take it unless it is banned already.
 */
export class JailFilter {
  readonly #regexes: RegExp[];
  readonly #ignoreRegexes: RegExp[];
  readonly #ignored: (ip: string) => boolean;
  readonly #datepattern: DatePatternName | undefined;
  readonly #findtime: number;
  readonly #bantime: number;
  readonly #failures: FailureCounter;
  readonly #bans = new BanList();

  /** @throws {TypeError} naming the pattern or entry that is wrong */
  constructor(options: JailFilterOptions) {
    this.#regexes = compileFailregex(options.failregex);
    this.#ignoreRegexes = compileIgnoreregex(options.ignoreregex ?? []);
    this.#ignored = ignoreList(options.ignoreip ?? []);
    this.#datepattern = options.datepattern;
    this.#findtime = options.findtime;
    this.#bantime = options.bantime;
    this.#failures = new FailureCounter(options);
  }

  /** The address a failregex finds in `line` (its date cut out), or undefined; no counting. */
  match(line: string, now: number): { ip: string; time: number | undefined } | undefined {
    const { time, text } = dateOf(line, this.#datepattern, now);
    if (this.#ignoreRegexes.some((regex) => regex.test(text))) return undefined;
    const ip = matchHost(this.#regexes, text);
    return ip === undefined ? undefined : { ip, time };
  }

  /**
   * Checks one line read at `now` (ms): the address to ban when this failure
   * is its `maxretry`-th and it is not banned already, else undefined.
   */
  check(line: string, now: number): string | undefined {
    const found = this.match(line, now);
    if (found === undefined || this.#ignored(found.ip)) return undefined;
    const time = Math.min(found.time ?? now, now);
    if (time < now - this.#findtime) return undefined;
    if (!this.#failures.add(found.ip, time)) return undefined;
    return this.#bans.ban(found.ip, time, time + this.#bantime) ? found.ip : undefined;
  }

  /** Bans `ip` at `now` by hand (`set NAME banip`); false when it is banned already. */
  ban(ip: string, now: number): boolean {
    this.#failures.forget(ip);
    return this.#bans.ban(ip, now, now + this.#bantime);
  }

  /** Ends `ip`'s ban by hand (`set NAME unbanip`); false when it was not banned. */
  unban(ip: string): boolean {
    this.#failures.forget(ip);
    return this.#bans.unban(ip);
  }

  /** Takes back a stored ban at start-up, with its own times. */
  restore({ ip, at, end }: Ban): boolean {
    return this.#bans.ban(ip, at, end);
  }

  /** Removes and returns, in ban order, the addresses whose ban has ended at `now` (ms). */
  due(now: number): string[] {
    return this.#bans.due(now);
  }

  /** The bans now, for the store. */
  bans(): Ban[] {
    return this.#bans.list();
  }

  /** The counts at `now` (ms). */
  counts(now: number): JailCounts {
    const banned = this.#bans.list().map((ban) => ban.ip);
    return {
      filter: { currentlyFailed: this.#failures.currentlyFailed(now), totalFailed: this.#failures.totalFailed },
      actions: { currentlyBanned: banned.length, totalBanned: this.#bans.totalBanned, bannedIPList: banned },
    };
  }
}
