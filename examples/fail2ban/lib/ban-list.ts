/** Options of {@link BanList}. */
export interface BanListOptions {
  /** How long a ban lasts, in ms (fail2ban's `bantime`); `Infinity` for a ban that never ends (fail2ban's -1). */
  bantime: number;
}

/**
 * The addresses banned now, and when each ban ends.
 *
 * A ban made at `at` covers `[at, at + bantime)`: at `at + bantime` it is due.
 * A ban stays in the list, and {@link BanList.isBanned} stays true, until
 * {@link BanList.due} hands it back, since that is when the caller unbans.
 */
export class BanList {
  readonly #bantime: number;
  // Insertion order is ban order, which due() and banned() keep.
  readonly #bans = new Map<string, number>();
  #total = 0;

  /** @throws {RangeError} when `bantime` is not a number >= 0. */
  constructor({ bantime }: BanListOptions) {
    if (!(bantime >= 0)) {
      throw new RangeError(`bantime must be a number of ms >= 0, or Infinity for a permanent ban; got ${bantime}`);
    }
    this.#bantime = bantime;
  }

  /** Every ban ever made, including those since ended; a refused ban does not count. */
  get totalBanned(): number {
    return this.#total;
  }

  /** Bans `ip` from time `at` (ms); false, and nothing changes, when it is banned already. */
  ban(ip: string, at: number): boolean {
    if (this.#bans.has(ip)) return false;
    this.#bans.set(ip, at);
    this.#total += 1;
    return true;
  }

  /** Removes and returns, in ban order, the addresses whose ban has ended at `now` (ms). */
  due(now: number): string[] {
    const ended: string[] = [];
    for (const [ip, at] of this.#bans) {
      if (now - at >= this.#bantime) {
        ended.push(ip);
        this.#bans.delete(ip);
      }
    }
    return ended;
  }

  /** The addresses banned now, in ban order. */
  banned(): string[] {
    return [...this.#bans.keys()];
  }

  /** True when `ip` is in the list. */
  isBanned(ip: string): boolean {
    return this.#bans.has(ip);
  }
}
