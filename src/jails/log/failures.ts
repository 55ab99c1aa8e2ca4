/** One address's failures, as fail2ban's FailTicket keeps them. */
interface Ticket {
  first: number;
  last: number;
  retry: number;
}

/**
 * Counts failures per address as fail2ban 1.0's failure manager does, on the
 * lines' own times (ms). A failure that comes more than `findtime` after an
 * address's first one does not reset its count: the count is scaled to the
 * rate over the last `findtime` (fail2ban's `FailTicket.adjustTime`), so a
 * slow, steady attacker is still caught. An address leaves the list when its
 * last failure is `findtime` old, or when it reaches `maxretry` (to be banned).
 */
export class FailureCounter {
  readonly #findtime: number;
  readonly #maxretry: number;
  readonly #tickets = new Map<string, Ticket>();
  #total = 0;

  constructor({ findtime, maxretry }: { findtime: number; maxretry: number }) {
    this.#findtime = findtime;
    this.#maxretry = maxretry;
  }

  /** Every failure ever counted, those of addresses banned since included (fail2ban's `Total failed`). */
  get totalFailed(): number {
    return this.#total;
  }

  /** Counts a failure of `ip` at `at` (ms); true when it has reached `maxretry`: it leaves the list, to be banned. */
  add(ip: string, at: number): boolean {
    this.#total += 1;
    const ticket = this.#tickets.get(ip);
    if (ticket === undefined) {
      this.#tickets.set(ip, { first: at, last: at, retry: 1 });
    } else {
      if (at > ticket.last) {
        if (ticket.first < at - this.#findtime) {
          ticket.retry = roundHalfEven((ticket.retry / (at - ticket.first)) * this.#findtime);
          ticket.first = at - this.#findtime;
        }
        ticket.last = at;
      }
      ticket.retry += 1;
    }
    if ((this.#tickets.get(ip)?.retry ?? 0) < this.#maxretry) return false;
    this.#tickets.delete(ip);
    return true;
  }

  /** Forgets the addresses whose last failure is `findtime` old at `now` (ms); how many are left (`Currently failed`). */
  currentlyFailed(now: number): number {
    for (const [ip, ticket] of this.#tickets) if (ticket.last <= now - this.#findtime) this.#tickets.delete(ip);
    return this.#tickets.size;
  }

  /** Forgets `ip`'s failures, as a manual ban or unban does. */
  forget(ip: string): void {
    this.#tickets.delete(ip);
  }
}

/** Python's round(): a tie goes to the even neighbour, as fail2ban's count does. */
function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const rest = value - floor;
  if (rest !== 0.5) return Math.round(value);
  return floor % 2 === 0 ? floor : floor + 1;
}
