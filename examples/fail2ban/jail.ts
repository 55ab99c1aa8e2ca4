import { Plugin } from 'jailthread';
import { type JailSettings, jailContract, jailSettings } from './contract.js';
import { BanList } from './lib/ban-list.js';
import { compileFailregex, matchHost } from './lib/failregex.js';
import { FailureCounter } from './lib/failures.js';
import { LogFollower } from './lib/follow.js';

/** What `jailthread status JAIL` shows, in fail2ban-client's terms. */
export interface JailStatus {
  filter: { currentlyFailed: number; totalFailed: number; fileList: string[] };
  actions: { currentlyBanned: number; totalBanned: number; bannedIPList: string[] };
}

/**
 * One fail2ban jail: follows its log (through growth, truncation and
 * rotation), counts failures per address within `findtime`, and asks the
 * host to ban an address after `maxretry` of them, for `bantime`. While idle
 * it reads nothing, as a fail2ban jail set idle does.
 */
export default class Jail extends Plugin<typeof jailContract, JailStatus> {
  static override readonly module = import.meta.url;
  static override readonly contract = jailContract;
  readonly #settings;
  readonly #regexes;
  readonly #failures;
  readonly #bans;

  constructor(options: object, settings: JailSettings) {
    super(options);
    this.#settings = jailSettings.parse(settings);
    this.#regexes = compileFailregex(this.#settings.failregex);
    this.#failures = new FailureCounter({
      findtime: this.#settings.findtime * 1000,
      maxretry: this.#settings.maxretry,
    });
    this.#bans = new BanList({ bantime: this.#settings.bantime * 1000 });
  }

  override async run(): Promise<void> {
    const found: string[] = [];
    const follower = new LogFollower(this.#settings.logpath, { onLine: (line) => found.push(line) });
    try {
      while (this.active) {
        if (!this.idle) {
          await follower.poll();
          for (const line of found.splice(0)) await this.#check(line);
        }
        for (const ip of this.#bans.due(Date.now())) await this.callHost('unban', { jail: this.name, ip });
        await this.sleep();
      }
    } finally {
      await follower.close();
    }
  }

  async #check(line: string): Promise<void> {
    const ip = matchHost(this.#regexes, line);
    if (ip === undefined || this.#bans.isBanned(ip)) return;
    const now = Date.now();
    if (!this.#failures.add(ip, now)) return;
    this.#bans.ban(ip, now);
    const { bantime, maxretry } = this.#settings;
    await this.callHost('ban', { jail: this.name, ip, bantime, failures: maxretry });
  }

  override status(): JailStatus {
    const banned = this.#bans.banned();
    return {
      filter: {
        currentlyFailed: this.#failures.currentlyFailed(Date.now()),
        totalFailed: this.#failures.totalFailed,
        fileList: [this.#settings.logpath],
      },
      actions: { currentlyBanned: banned.length, totalBanned: this.#bans.totalBanned, bannedIPList: banned },
    };
  }
}
