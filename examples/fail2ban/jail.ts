import { Plugin } from 'jailthread';
import { type JailSettings, jailContract, jailSettings } from './contract.js';
import { LogFollower } from './lib/follow.js';
import { JailFilter } from './lib/jail-filter.js';

/** What `jailthread status JAIL` shows, in fail2ban-client's terms. */
export interface JailStatus {
  filter: { currentlyFailed: number; totalFailed: number; fileList: string[] };
  actions: { currentlyBanned: number; totalBanned: number; bannedIPList: string[] };
}

/**
 * One fail2ban jail: follows its log (through growth, truncation and
 * rotation), counts failures per address within `findtime` (those of banned
 * addresses too, as fail2ban does), and asks the host to ban an address after
 * `maxretry` of them, for `bantime`. While idle it reads nothing, as a
 * fail2ban jail set idle does.
 */
export default class Jail extends Plugin<typeof jailContract, JailStatus> {
  static override readonly module = import.meta.url;
  static override readonly contract = jailContract;
  readonly #settings;
  readonly #filter;

  constructor(options: object, settings: JailSettings) {
    super(options);
    this.#settings = jailSettings.parse(settings);
    const { failregex, findtime, maxretry, bantime } = this.#settings;
    this.#filter = new JailFilter({ failregex, findtime: findtime * 1000, maxretry, bantime: bantime * 1000 });
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
        for (const ip of this.#filter.due(Date.now())) await this.callHost('unban', { jail: this.name, ip });
        await this.sleep();
      }
    } finally {
      await follower.close();
    }
  }

  async #check(line: string): Promise<void> {
    const ip = this.#filter.check(line, Date.now());
    if (ip === undefined) return;
    const { bantime, maxretry } = this.#settings;
    // A ban not recorded within 2 s is abandoned, and cancelled in the recorder too, rather than hold up the loop.
    const signal = AbortSignal.timeout(2000);
    await this.callHost('ban', { jail: this.name, ip, bantime, failures: maxretry }, { signal }).catch(
      (error: Error) => {
        if (error.name !== 'AbortError') throw error;
        console.error(`ban of ${ip} abandoned: ${error.message}`);
      },
    );
  }

  override status(): JailStatus {
    const { filter, actions } = this.#filter.counts(Date.now());
    return { filter: { ...filter, fileList: [this.#settings.logpath] }, actions };
  }
}
