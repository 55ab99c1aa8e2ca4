import { BanList } from './ban-list.js';
import { compileFailregex, matchHost } from './failregex.js';
import { FailureCounter } from './failures.js';

/** Options of {@link JailFilter}: a jail's settings, with times in ms. */
export interface JailFilterOptions {
  failregex: readonly string[];
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
 * A jail's failure counting and bans, as fail2ban 1.0 does them. Every line
 * that matches counts as a failure, whether its address is banned or not (a
 * banned client goes on failing until the firewall drops it, or for as long
 * as the action does nothing): fail2ban's filter adds each one to its failure
 * manager, which is what `Total failed` counts. An address that reaches
 * `maxretry` leaves the failure list (`Currently failed`) and is handed to
 * the actions, which ban it unless it is banned already; so a banned address
 * starts a new count and is not banned twice.
 */
export class JailFilter {
  readonly #regexes: RegExp[];
  readonly #failures: FailureCounter;
  readonly #bans: BanList;

  /** @throws {RangeError} or {SyntaxError} when a setting or a pattern is wrong. */
  constructor({ failregex, findtime, maxretry, bantime }: JailFilterOptions) {
    this.#regexes = compileFailregex(failregex);
    this.#failures = new FailureCounter({ findtime, maxretry });
    this.#bans = new BanList({ bantime });
  }

  /**
   * Checks one log line read at `now` (ms). Returns the address to ban when
   * this failure is its `maxretry`-th within `findtime` and it is not banned
   * already; undefined otherwise.
   */
  check(line: string, now: number): string | undefined {
    const ip = matchHost(this.#regexes, line);
    if (ip === undefined || !this.#failures.add(ip, now)) return undefined;
    return this.#bans.ban(ip, now) ? ip : undefined;
  }

  /** Removes and returns, in ban order, the addresses whose ban has ended at `now` (ms). */
  due(now: number): string[] {
    return this.#bans.due(now);
  }

  /** The counts at `now` (ms). */
  counts(now: number): JailCounts {
    const banned = this.#bans.banned();
    return {
      filter: { currentlyFailed: this.#failures.currentlyFailed(now), totalFailed: this.#failures.totalFailed },
      actions: { currentlyBanned: banned.length, totalBanned: this.#bans.totalBanned, bannedIPList: banned },
    };
  }
}
