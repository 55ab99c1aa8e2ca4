import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import type { Ban } from './ban-list.js';

/** What the store file holds: a ban without end has `end: null` (JSON has no Infinity). */
interface Stored {
  version: 1;
  bans: { ip: string; at: number; end: number | null }[];
}

/**
 * A jail's bans in a JSON file, as fail2ban's database keeps them across
 * restarts. Each save writes a temporary file beside it and renames it over
 * the old one, so a crash leaves the old file or the new one, never half of
 * one; saves run one after another, in the order asked. The file's folder
 * must exist, and the jail may write in it (the temporary file is there).
 */
export class BanStore {
  readonly file: string;
  #tail: Promise<void> = Promise.resolve();

  constructor(file: string) {
    this.file = file;
  }

  /**
   * The stored bans; none when the file does not exist yet.
   * @throws {Error} naming the file when it is not a store (it is left as is, for its owner to look at)
   */
  async load(): Promise<Ban[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    let data: Stored;
    try {
      data = JSON.parse(text) as Stored;
    } catch (error) {
      throw new Error(`the ban store ${this.file} is not JSON; move it away to start with no bans`, { cause: error });
    }
    if (data?.version !== 1 || !Array.isArray(data.bans)) {
      throw new Error(`the ban store ${this.file} is not a jailthread ban store; move it away to start with no bans`);
    }
    return data.bans
      .filter((ban) => typeof ban?.ip === 'string' && typeof ban.at === 'number')
      .map(({ ip, at, end }) => ({ ip, at, end: typeof end === 'number' ? end : Number.POSITIVE_INFINITY }));
  }

  /** Replaces the stored bans with `bans`, after the saves asked before. */
  save(bans: readonly Ban[]): Promise<void> {
    const stored: Stored = {
      version: 1,
      bans: bans.map(({ ip, at, end }) => ({ ip, at, end: Number.isFinite(end) ? end : null })),
    };
    const run = this.#tail.then(() => this.#write(`${JSON.stringify(stored)}\n`));
    this.#tail = run.catch(() => undefined);
    return run;
  }

  async #write(text: string): Promise<void> {
    const temporary = `${this.file}.${process.pid}.tmp`;
    try {
      await writeFile(temporary, text);
      await rename(temporary, this.file);
    } catch (error) {
      await rm(temporary, { force: true }).catch(() => undefined);
      throw error;
    }
  }
}
