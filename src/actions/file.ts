import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import { Plugin, type PluginMethods } from '../index.js';
import { actionContract, type BanCall, type UnbanCall } from './contract.js';

/** Settings of `jailthread/actions/file` (its `options.args[0]`). */
export interface FileActionSettings {
  /** The file each ban and unban is appended to, one JSON object a line; its sandbox must grant `write` to it. */
  file: string;
}

/**
 * An action that records: each ban and unban is appended to a file as a line
 * of JSON (`{"time":…,"action":"ban","jail":…,"ip":…,"bantime":…,"failures":…}`),
 * for an audit trail or for another program to act on.
 */
export default class FileAction
  extends Plugin<typeof actionContract, { file: string; bans: number; unbans: number }>
  implements PluginMethods<typeof actionContract>
{
  static override readonly module = import.meta.url;
  static override readonly contract = actionContract;
  readonly #file: string;
  #bans = 0;
  #unbans = 0;

  /** @throws {TypeError} when `file` is missing */
  constructor(options: object, settings: FileActionSettings) {
    super(options);
    if (typeof settings?.file !== 'string' || settings.file === '') {
      throw new TypeError(`action '${this.name}': file must be the path of the file to record to, e.g. "bans.log"`);
    }
    this.#file = path.resolve(settings.file);
  }

  override async run(): Promise<void> {
    while (this.active) await this.sleep();
  }

  async ban(call: BanCall): Promise<void> {
    await this.#append({ action: 'ban', ...call });
    this.#bans += 1;
  }

  async unban(call: UnbanCall): Promise<void> {
    await this.#append({ action: 'unban', ...call });
    this.#unbans += 1;
  }

  override status() {
    return { file: this.#file, bans: this.#bans, unbans: this.#unbans };
  }

  #append(record: object): Promise<void> {
    return appendFile(this.#file, `${JSON.stringify({ time: new Date().toISOString(), ...record })}\n`);
  }
}

export { actionContract } from './contract.js';
