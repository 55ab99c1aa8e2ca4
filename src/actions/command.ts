import { execFile } from 'node:child_process';
import { Plugin, type PluginMethods } from '../index.js';
import { checkTemplate, fillTemplate } from './argv-template.js';
import { actionContract, type BanCall, type UnbanCall } from './contract.js';

/** Settings of `jailthread/actions/command` (its `options.args[0]`). */
export interface CommandActionSettings {
  /** The command a ban runs, as argv (no shell): `<ip>`, `<name>` (the jail), `<bantime>`, `<failures>` are filled in. */
  ban: string[];
  /** The command an unban runs, likewise. */
  unban: string[];
  /**
   * Milliseconds a command may run; then it is killed and the call fails (the jail retries it).
   * @default 10000
   */
  timeout?: number;
}

/** Most of a failed command's output kept for its error: enough for a reason, bounded whatever it prints. */
const MAX_OUTPUT = 64 * 1024;

/**
 * fail2ban's action, as commands: each ban and unban runs its argv template
 * with `execFile` (no shell, so an address can never become shell code),
 * under a timeout. A command that fails, exits non-zero or times out fails
 * the call, and the jail retries it. Its sandbox must grant `childProcess`.
 */
export default class CommandAction
  extends Plugin<typeof actionContract, { bans: number; unbans: number; failed: number }>
  implements PluginMethods<typeof actionContract>
{
  static override readonly module = import.meta.url;
  static override readonly contract = actionContract;
  readonly #ban: string[];
  readonly #unban: string[];
  readonly #timeout: number;
  readonly #counts = { bans: 0, unbans: 0, failed: 0 };

  /** @throws {TypeError} naming the setting that is wrong */
  constructor(options: object, settings: CommandActionSettings) {
    super(options);
    const where = `action '${this.name}'`;
    this.#ban = checkTemplate(`${where}: ban`, settings?.ban);
    this.#unban = checkTemplate(`${where}: unban`, settings?.unban);
    const timeout = settings.timeout ?? 10_000;
    if (!Number.isInteger(timeout) || timeout < 1 || timeout > 2 ** 31 - 1) {
      throw new TypeError(`${where}: timeout must be a whole number of ms from 1 to 2147483647, got ${timeout}`);
    }
    this.#timeout = timeout;
  }

  override async run(): Promise<void> {
    while (this.active) await this.sleep();
  }

  async ban({ jail, ip, bantime, failures }: BanCall, { signal }: { signal: AbortSignal }): Promise<void> {
    await this.#run(fillTemplate(this.#ban, { ip, name: jail, bantime, failures }), signal);
    this.#counts.bans += 1;
  }

  async unban({ jail, ip }: UnbanCall, { signal }: { signal: AbortSignal }): Promise<void> {
    await this.#run(fillTemplate(this.#unban, { ip, name: jail, bantime: 0, failures: 0 }), signal);
    this.#counts.unbans += 1;
  }

  override status() {
    return { ...this.#counts };
  }

  /** `signal` is the call's: a jail that gives up on the call, or this plugin stopping, kills the command. */
  #run([file, ...args]: string[], signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const options = {
        signal,
        timeout: this.#timeout,
        killSignal: 'SIGKILL' as const,
        maxBuffer: MAX_OUTPUT,
        encoding: 'utf8' as const,
      };
      execFile(file as string, args, options, (error, _stdout, stderr) => {
        if (error === null) return resolve();
        this.#counts.failed += 1;
        const why = signal.aborted
          ? 'was cancelled by its caller'
          : error.killed
            ? `timed out after ${this.#timeout} ms`
            : error.message.split('\n')[0];
        const tail = stderr.trim().slice(-500);
        reject(new Error(`action '${this.name}': ${file} ${why}${tail === '' ? '' : `: ${tail}`}`));
      });
    });
  }
}

export { actionContract } from './contract.js';
