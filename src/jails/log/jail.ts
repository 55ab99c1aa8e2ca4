import path from 'node:path';
import { Plugin, type PluginMethods } from '../../index.js';
import { type ActionCall, ActionQueue } from './action-queue.js';
import type { Ban } from './ban-list.js';
import { BanStore } from './ban-store.js';
import { jailContract } from './contract.js';
import { LogFollower } from './follow.js';
import { JailFilter } from './jail-filter.js';
import type { JailSettings } from './jail-settings.js';
import { type JailPlan, listOf, parseSettings } from './settings.js';

/** What `jailthread status NAME` shows: fail2ban-client's tree, plus what waits. */
export interface LogJailStatus {
  filter: {
    currentlyFailed: number;
    totalFailed: number;
    fileList: string[];
    /** The files of `logpath` that do not exist (yet): waited for, as fail2ban does. */
    waitingFor: string[];
  };
  actions: {
    currentlyBanned: number;
    totalBanned: number;
    bannedIPList: string[];
    /** Bans and unbans not yet taken by the action (it failed or is not reachable), retried with backoff. */
    pending: number;
    /** Why the oldest pending call failed last, while one is pending. */
    lastError?: string;
  };
}

const ms = (seconds: number) => (seconds === -1 ? Number.POSITIVE_INFINITY : seconds * 1000);

/**
 * fail2ban's jail for log files: follows `logpath` (through rotation and
 * truncation), finds failures with `failregex`, counts them per address on
 * the lines' own times, and bans an address after `maxretry` of them within
 * `findtime`, for `bantime`, through the action its `ban` and `unban` are
 * routed to. A failed action is retried; the jail goes on. With `dbfile`,
 * its bans outlive a restart. Its settings are its first argument
 * (`options.args[0]`), named as in fail2ban's jail.conf.
 */
export default class LogJail
  extends Plugin<typeof jailContract, LogJailStatus>
  implements PluginMethods<typeof jailContract>
{
  static override readonly module = import.meta.url;
  static override readonly contract = jailContract;
  readonly #plan: JailPlan;
  readonly #filter: JailFilter;
  readonly #followers: LogFollower[];
  #store: BanStore | undefined;
  readonly #actions: ActionQueue;
  readonly #lines: string[] = [];
  #saving = false;
  // A failing save is retried at every turn of the loop, but reported once until it succeeds.
  #saveProblem: string | undefined;

  /** @throws {TypeError} naming the jail and the setting that is wrong (a regex, an ignoreip entry, ...) */
  constructor(options: object, settings: JailSettings) {
    super(options);
    const name = this.name;
    this.#plan = parseSettings(name, settings);
    const { failregex, ignoreregex, ignoreip, datepattern, findtime, maxretry, bantime, retry } = this.#plan;
    try {
      this.#filter = new JailFilter({
        failregex: listOf(failregex),
        ignoreregex: listOf(ignoreregex),
        ignoreip: ignoreip ?? [],
        datepattern,
        findtime: ms(findtime),
        maxretry,
        bantime: ms(bantime),
      });
    } catch (error) {
      throw new TypeError(`jail '${name}': ${(error as Error).message}`, { cause: error });
    }
    const onLine = (line: string) => this.#lines.push(line);
    // Its stderr is the host's log of the plugin.
    const onError = (error: Error) => console.error(`jail '${name}': ${error.message}`);
    this.#followers = listOf(this.#plan.logpath).map(
      (file) =>
        new LogFollower(path.resolve(file), {
          from: this.#plan.from,
          interval: this.#plan.pollinterval,
          onLine,
          onError,
        }),
    );
    this.#store = this.#plan.dbfile === undefined ? undefined : new BanStore(path.resolve(this.#plan.dbfile));
    this.#actions = new ActionQueue({ ...retry, send: (call) => this.#send(call) });
  }

  override async run(): Promise<void> {
    await this.#restore();
    try {
      while (this.active) {
        const now = Date.now();
        if (!this.idle) {
          for (const follower of this.#followers) await follower.poll();
          for (const line of this.#lines.splice(0)) {
            const ip = this.#filter.check(line, Date.now());
            if (ip !== undefined) this.#ban(ip, this.#plan.maxretry);
          }
        }
        for (const ip of this.#filter.due(now)) {
          this.#actions.push({ kind: 'unban', ip });
          this.#saving = true;
        }
        await this.#save();
        await this.#actions.flush(Date.now());
        await this.sleep();
      }
    } finally {
      await Promise.all(this.#followers.map((follower) => follower.close()));
      await this.#save();
    }
  }

  banip({ ips }: { ips: string[] }): number {
    let banned = 0;
    for (const ip of ips) {
      if (this.#filter.ban(ip, Date.now())) {
        this.#ban(ip, 0);
        banned += 1;
      }
    }
    return banned;
  }

  unbanip({ ips }: { ips: string[] }): number {
    let unbanned = 0;
    for (const ip of ips) {
      if (this.#filter.unban(ip)) {
        this.#actions.push({ kind: 'unban', ip });
        this.#saving = true;
        unbanned += 1;
      }
    }
    return unbanned;
  }

  banned(): string[] {
    return this.#filter.bans().map((ban) => ban.ip);
  }

  override status(): LogJailStatus {
    const { filter, actions } = this.#filter.counts(Date.now());
    const { pending, lastError } = this.#actions.status();
    return {
      filter: {
        ...filter,
        fileList: this.#followers.map((follower) => follower.path),
        waitingFor: this.#followers.filter((follower) => follower.waiting).map((follower) => follower.path),
      },
      actions: { ...actions, pending, ...(lastError === undefined ? {} : { lastError }) },
    };
  }

  #ban(ip: string, failures: number): void {
    this.#actions.push({ kind: 'ban', ip, bantime: this.#plan.bantime, failures });
    this.#saving = true;
  }

  /**
   * Bans stored by an earlier run: kept with their own end, re-sent to the action; those ended meanwhile
   * are unbanned. A store that cannot be read is left as it is (its bans are not lost by a save over it):
   * the jail says why and runs without one.
   */
  async #restore(): Promise<void> {
    if (this.#store === undefined) return;
    const now = Date.now();
    let stored: Ban[];
    try {
      stored = await this.#store.load();
    } catch (error) {
      console.error(
        `jail '${this.name}': cannot read its bans from ${this.#store.file}, so it keeps none this run and leaves the file as it is: ${(error as Error).message}`,
      );
      this.#store = undefined;
      return;
    }
    for (const ban of stored) {
      if (ban.end <= now) this.#actions.push({ kind: 'unban', ip: ban.ip });
      else if (this.#filter.restore(ban)) {
        const bantime = Number.isFinite(ban.end) ? Math.ceil((ban.end - now) / 1000) : -1;
        this.#actions.push({ kind: 'ban', ip: ban.ip, bantime, failures: 0 });
      }
    }
    this.#saving = true;
  }

  async #save(): Promise<void> {
    if (this.#store === undefined || !this.#saving) return;
    this.#saving = false;
    try {
      await this.#store.save(this.#filter.bans());
      this.#saveProblem = undefined;
    } catch (error) {
      this.#saving = true;
      const problem = `jail '${this.name}': cannot save its bans to ${this.#store.file}: ${(error as Error).message}`;
      if (problem !== this.#saveProblem) console.error(problem);
      this.#saveProblem = problem;
    }
  }

  async #send(call: ActionCall): Promise<void> {
    if (call.kind === 'ban') {
      const { ip, bantime, failures } = call;
      await this.callHost('ban', { jail: this.name, ip, bantime, failures });
    } else await this.callHost('unban', { jail: this.name, ip: call.ip });
  }
}
