import { appendFile, writeFile } from 'node:fs/promises';
import { Plugin, type PluginMethods } from 'jailthread';
import { actionContract, type Ban, type Unban } from './contract.js';

/**
 * fail2ban's action, without the firewall: appends one line per ban and
 * unban to a file (the path is its first argument), which the sandbox lets it
 * write and nothing else.
 */
export default class Recorder
  extends Plugin<typeof actionContract, { file: string; bans: number; unbans: number }>
  implements PluginMethods<typeof actionContract>
{
  static override readonly module = import.meta.url;
  static override readonly contract = actionContract;
  readonly #file: string;
  #bans = 0;
  #unbans = 0;

  constructor(options: object, file: string) {
    super(options);
    this.#file = file;
  }

  override async run(): Promise<void> {
    while (this.active) await this.sleep(60_000);
  }

  async ban({ jail, ip, bantime, failures }: Ban, { signal }: { signal: AbortSignal }): Promise<void> {
    this.#bans++;
    const line = `${new Date().toISOString()} ban ${jail} ${ip} for ${bantime}s after ${failures} failures\n`;
    // The jail's signal, through the host's route: a ban it gave up on is not written.
    await writeFile(this.#file, line, { flag: 'a', signal });
  }

  async unban({ jail, ip }: Unban): Promise<void> {
    this.#unbans++;
    await appendFile(this.#file, `${new Date().toISOString()} unban ${jail} ${ip}\n`);
  }

  override status() {
    return { file: this.#file, bans: this.#bans, unbans: this.#unbans };
  }
}
