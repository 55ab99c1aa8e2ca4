/** One ban: when it began and when it ends (ms; `Infinity` for a ban without end). */
export interface Ban {
  ip: string;
  at: number;
  end: number;
}

/**
 * The addresses banned now, in ban order. A ban stays until {@link BanList.due}
 * hands it back (then the caller unbans) or {@link BanList.unban} removes it.
 */
export class BanList {
  readonly #bans = new Map<string, Ban>();
  #total = 0;

  /** Every ban made, restored ones included, those since ended too (fail2ban's `Total banned`). */
  get totalBanned(): number {
    return this.#total;
  }

  /** Bans `ip` from `at` until `end` (ms); false, and nothing changes, when it is banned already. */
  ban(ip: string, at: number, end: number): boolean {
    if (this.#bans.has(ip)) return false;
    this.#bans.set(ip, { ip, at, end });
    this.#total += 1;
    return true;
  }

  /** Ends `ip`'s ban now; false when it was not banned. */
  unban(ip: string): boolean {
    return this.#bans.delete(ip);
  }

  /** Removes and returns, in ban order, the addresses whose ban has ended at `now` (ms). */
  due(now: number): string[] {
    const ended: string[] = [];
    for (const [ip, { end }] of this.#bans) {
      if (now >= end) {
        ended.push(ip);
        this.#bans.delete(ip);
      }
    }
    return ended;
  }

  /** The bans now, in ban order. */
  list(): Ban[] {
    return [...this.#bans.values()];
  }

  /** True when `ip` is banned. */
  has(ip: string): boolean {
    return this.#bans.has(ip);
  }
}
