import type { BigIntStats } from 'node:fs';
import { type FileHandle, open, stat } from 'node:fs/promises';

/** Options of {@link LogFollower}. */
export interface LogFollowerOptions {
  /**
   * Time between two polls, in ms, counted from the end of one to the start of the next.
   * @default 250
   */
  interval?: number;
  /**
   * Where to start in the file found at the first poll: `'end'` skips what it
   * holds then, including a line still being written. A file that appears
   * later, or replaces a rotated one, is always read from its start.
   * @default 'start'
   */
  from?: 'start' | 'end';
  /** Called once per complete line, without its `\n` (nor a `\r` before it). */
  onLine(line: string): void;
  /**
   * Called with a file-system error (once until a poll succeeds again, not at
   * every poll) or with what `onLine` threw. If it throws, the poll rejects.
   * @default process.emitWarning
   */
  onError?(error: Error): void;
}

const CHUNK_SIZE = 64 * 1024;
const NEWLINE = 0x0a;
const HEAD_SIZE = 256;
const EMPTY = Buffer.alloc(0);

/**
 * Follows a log file as it grows, like `tail -F`, by polling with
 * `fs.promises`: `fs.watch` differs between platforms and misses events on
 * network and container file systems.
 *
 * - A missing file is waited for, not an error.
 * - A trailing partial line is held until its `\n` arrives.
 * - Truncation (the file got smaller than the read position, or its first
 *   line changed: copy-truncate, then new lines) restarts at 0.
 * - Rotation (the path names another file, or no file) first reads the rest
 *   of the old file through the still-open handle, then the new file from its
 *   start. The old file's unterminated last line is dropped, as it is on
 *   truncation: a cut-off line can hold a cut-off address.
 */
export class LogFollower {
  /** The followed path. */
  readonly path: string;
  readonly #interval: number;
  readonly #onLine: (line: string) => void;
  readonly #onError: (error: Error) => void;
  #from: 'start' | 'end';
  readonly #buffer = Buffer.allocUnsafe(CHUNK_SIZE);
  #handle: FileHandle | undefined;
  #dev = 0n;
  #ino = 0n;
  #position = 0;
  #pending = EMPTY;
  // The file's first line (up to HEAD_SIZE bytes), as fail2ban keeps a hash of it: another first line means
  // the file was truncated and rewritten (copy-truncate) even when it has grown past the read position since.
  #head = EMPTY;
  #skipToNewline = false;
  #lastProblem: string | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #started = false;
  #closed = false;
  #closing: Promise<void> | undefined;
  // The chain of polls, which never rejects, and the poll queued on it that has not started yet.
  #tail: Promise<void> = Promise.resolve();
  #queued: Promise<void> | undefined;

  /** @throws {RangeError} when `interval` is not a positive number of ms or `from` is not 'start' or 'end'. */
  constructor(path: string, options: LogFollowerOptions) {
    const { interval = 250, from = 'start' } = options;
    if (!(interval > 0 && Number.isFinite(interval))) {
      throw new RangeError(`interval must be a number of ms > 0, got ${interval}`);
    }
    if (from !== 'start' && from !== 'end') throw new RangeError(`from must be 'start' or 'end', got ${String(from)}`);
    this.path = path;
    this.#interval = interval;
    this.#from = from;
    this.#onLine = options.onLine.bind(options);
    this.#onError = options.onError?.bind(options) ?? ((error) => process.emitWarning(error));
  }

  /** True while no file is open at the path: it does not exist (yet), or a poll has not run. */
  get waiting(): boolean {
    return this.#handle === undefined;
  }

  /**
   * Polls now, then `interval` ms after each poll ends, until {@link LogFollower.close}.
   * Calling it again does nothing.
   * @throws {Error} once closed.
   */
  start(): void {
    if (this.#closed)
      throw new Error(`the LogFollower of ${this.path} is closed: create another one to follow it again`);
    if (this.#started) return;
    this.#started = true;
    this.#tick();
  }

  /**
   * Runs one poll cycle, after the one running if any: when it resolves, every
   * complete line written before the call has been passed to `onLine`. Calls
   * made while a poll waits to start share it. Does nothing once closed.
   */
  poll(): Promise<void> {
    if (this.#queued !== undefined) return this.#queued;
    const queued = this.#tail.then(() => {
      this.#queued = undefined;
      return this.#cycle();
    });
    this.#queued = queued;
    this.#tail = queued.catch(() => undefined);
    return queued;
  }

  /**
   * Stops following: clears the timer, waits for the poll in progress, and
   * closes the file. No callback fires once it is called. Calling it again
   * returns the same promise.
   */
  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  readonly #tick = (): void => {
    this.#timer = undefined;
    void this.poll().then(() => {
      if (!this.#closed) this.#timer = setTimeout(this.#tick, this.#interval);
    });
  };

  async #shutdown(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#tail;
    await this.#release();
  }

  async #cycle(): Promise<void> {
    if (this.#closed) return;
    try {
      if (this.#handle !== undefined || (await this.#open())) {
        const current = await statIfExists(this.path);
        const rotated = current === undefined || current.dev !== this.#dev || current.ino !== this.#ino;
        await this.#readToEnd();
        if (rotated) {
          await this.#release();
          if (current !== undefined && !this.#closed && (await this.#open())) await this.#readToEnd();
        }
      }
      this.#lastProblem = undefined;
    } catch (error) {
      this.#report(error, true);
    }
  }

  /** Opens the path, if there is a file there; false if not (yet). */
  async #open(): Promise<boolean> {
    const fromEnd = this.#from === 'end';
    this.#from = 'start';
    let handle: FileHandle;
    try {
      handle = await open(this.path, 'r');
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
    try {
      // bigint: an inode number can exceed 2^53 (on Windows and some file systems).
      const { dev, ino, size } = await handle.stat({ bigint: true });
      this.#position = 0;
      this.#skipToNewline = false;
      if (fromEnd && size > 0n) {
        this.#position = Number(size);
        const { bytesRead } = await handle.read(this.#buffer, 0, 1, this.#position - 1);
        this.#skipToNewline = bytesRead === 1 && this.#buffer[0] !== NEWLINE;
      }
      this.#handle = handle;
      this.#dev = dev;
      this.#ino = ino;
      this.#pending = EMPTY;
      return true;
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw error;
    }
  }

  async #readToEnd(): Promise<void> {
    const handle = this.#handle;
    if (handle === undefined) return;
    const { size } = await handle.stat();
    if (size < this.#position || !(await this.#sameHead(handle, size))) {
      this.#position = 0;
      this.#pending = EMPTY;
      this.#head = EMPTY;
      this.#skipToNewline = false;
    }
    // To the end as it is now, not `size`: lines appended meanwhile are read in this cycle.
    while (!this.#closed) {
      const { bytesRead } = await handle.read(this.#buffer, 0, CHUNK_SIZE, this.#position);
      if (bytesRead === 0) return;
      this.#position += bytesRead;
      this.#consume(this.#buffer.subarray(0, bytesRead));
    }
  }

  /** False when the file's first line is no longer the one seen; records it once it is whole. */
  async #sameHead(handle: FileHandle, size: number): Promise<boolean> {
    if (size === 0) return this.#head.length === 0;
    const length = this.#head.length === 0 ? Math.min(size, HEAD_SIZE) : this.#head.length;
    const head = Buffer.alloc(length);
    const { bytesRead } = await handle.read(head, 0, length, 0);
    if (this.#head.length > 0) return bytesRead === length && head.equals(this.#head);
    const newline = head.subarray(0, bytesRead).indexOf(NEWLINE);
    if (newline !== -1) this.#head = head.subarray(0, newline + 1);
    else if (bytesRead === HEAD_SIZE) this.#head = head;
    return true;
  }

  /**
   * Splits on the `\n` byte, which never occurs inside a UTF-8 sequence: a
   * character split between two reads is decoded whole, with its line.
   */
  #consume(chunk: Buffer): void {
    let start = 0;
    for (let end = chunk.indexOf(NEWLINE); end !== -1 && !this.#closed; end = chunk.indexOf(NEWLINE, start)) {
      const piece = chunk.subarray(start, end);
      const bytes = this.#pending.length === 0 ? piece : Buffer.concat([this.#pending, piece]);
      this.#pending = EMPTY;
      start = end + 1;
      if (this.#skipToNewline) this.#skipToNewline = false;
      else this.#emit(bytes);
    }
    // A copy: the chunk is the read buffer, which the next read overwrites.
    if (start < chunk.length) this.#pending = Buffer.concat([this.#pending, chunk.subarray(start)]);
  }

  #emit(bytes: Buffer): void {
    const text = bytes.toString('utf8');
    const line = text.endsWith('\r') ? text.slice(0, -1) : text;
    try {
      this.#onLine(line);
    } catch (error) {
      this.#report(error, false);
    }
  }

  async #release(): Promise<void> {
    const handle = this.#handle;
    this.#handle = undefined;
    this.#pending = EMPTY;
    this.#head = EMPTY;
    this.#skipToNewline = false;
    await handle?.close();
  }

  /** A file-system problem is reported once until a poll succeeds: polls repeat it every interval. */
  #report(error: unknown, fileSystem: boolean): void {
    if (this.#closed) return;
    const reported = error instanceof Error ? error : new Error(String(error));
    if (fileSystem) {
      if (reported.message === this.#lastProblem) return;
      this.#lastProblem = reported.message;
    }
    this.#onError(reported);
  }
}

const isMissing = (error: unknown): boolean => (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';

async function statIfExists(path: string): Promise<BigIntStats | undefined> {
  try {
    return await stat(path, { bigint: true });
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}
