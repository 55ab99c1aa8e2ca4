import type { Readable, Writable } from 'node:stream';
import { safeWrite } from '../../host-streams.js';
import { terminalLine } from '../../terminal-text.js';

// V8 has no hook for heap exhaustion: it prints this line and aborts, just as
// process.abort() would, so the line is the only way to tell the two apart.
const OOM_MARKER = 'JavaScript heap out of memory';

export interface OutputOptions {
  /** Gives what to prepend to every line (read per chunk: the thread may be renamed), or undefined to pass bytes through. */
  prefix: (() => string) | undefined;
  /** Takes every line instead of the host's streams (a plugin host's logger). */
  /** `continued` is true for a piece of a line longer than MAX_LINE_LENGTH that goes on in the next call. */
  onLine: ((stream: 'stdout' | 'stderr', line: string, continued: boolean) => void) | undefined;
  onOutOfMemory(): void;
}

/** Children paused because the host's stream is full; one 'drain' listener per host stream resumes them all. */
const waiting = new Map<Writable, Set<Readable>>();

function write(target: Writable, source: Readable, data: string | Buffer): void {
  if (safeWrite(target, data)) return;
  source.pause();
  let paused = waiting.get(target);
  if (paused === undefined) {
    const set = new Set<Readable>();
    paused = set;
    waiting.set(target, set);
    // Not pipe(): it adds listeners to the host's stream per child, and the
    // eleventh thread would trip MaxListenersExceededWarning. A stream that
    // closes instead of draining (its reader went away) resumes them too:
    // their output is dropped from then on, rather than blocking the children.
    const resume = () => {
      target.off('drain', resume);
      target.off('close', resume);
      waiting.delete(target);
      for (const source of set) source.resume();
    };
    target.once('drain', resume);
    target.once('close', resume);
  }
  paused.add(source);
}

/**
 * The longest line passed on whole, in UTF-16 code units (characters, for
 * text without emoji). A longer one, or output that never ends its line,
 * is passed on in pieces of this length, so the host never holds more than
 * this per stream and its cost stays linear in the bytes.
 * @default 65536
 */
export const MAX_LINE_LENGTH = 64 * 1024;

/** A line, or a piece of one over MAX_LINE_LENGTH: `continued` when it goes on in the next piece. */
export interface Line {
  text: string;
  continued: boolean;
}

/**
 * Splits a stream's text into lines as it arrives. Each chunk is searched
 * once, from where the last search stopped; a line still open is kept as a
 * list of pieces, joined once it ends, never re-scanned or re-concatenated.
 */
export class LineSplitter {
  readonly #max: number;
  #pieces: string[] = [];
  #length = 0;

  constructor(max = MAX_LINE_LENGTH) {
    this.#max = max;
  }

  /** The lines (and pieces of over-long lines) that `chunk` completes. */
  push(chunk: string): Line[] {
    const lines: Line[] = [];
    let at = 0;
    while (at < chunk.length) {
      const end = chunk.indexOf('\n', at);
      const stop = end < 0 ? chunk.length : end;
      // Whatever would make the open line too long leaves now, as a piece.
      while (this.#length + (stop - at) > this.#max) {
        const take = this.#max - this.#length;
        this.#pieces.push(chunk.slice(at, at + take));
        at += take;
        lines.push({ text: this.#take(), continued: true });
      }
      if (end < 0) {
        if (at < chunk.length) {
          this.#pieces.push(chunk.slice(at));
          this.#length += chunk.length - at;
        }
        break;
      }
      this.#pieces.push(chunk.slice(at, end));
      lines.push({ text: this.#take(), continued: false });
      at = end + 1;
    }
    return lines;
  }

  /** The last line, if the stream ended without a newline. */
  end(): Line[] {
    return this.#length === 0 ? [] : [{ text: this.#take(), continued: false }];
  }

  #take(): string {
    const text = this.#pieces.length === 1 ? (this.#pieces[0] as string) : this.#pieces.join('');
    this.#pieces = [];
    this.#length = 0;
    return text;
  }
}

/** Calls `onLines` with the complete lines of each chunk, and with a last unterminated one at the end. */
function splitLines(source: Readable, onLines: (lines: Line[]) => void): void {
  const splitter = new LineSplitter();
  source.setEncoding('utf8');
  source.on('data', (chunk: string) => {
    const lines = splitter.push(chunk);
    if (lines.length > 0) onLines(lines);
  });
  source.on('end', () => {
    const lines = splitter.end();
    if (lines.length > 0) onLines(lines);
  });
}

/**
 * Copies a child's stream to the host's, line-prefixed when asked, with
 * backpressure. The piece that follows a cut in an over-long line gets
 * `CONTINUED` after the prefix, so a reader knows it is not a line of its own.
 */
function forward(source: Readable, target: Writable, prefix: (() => string) | undefined): void {
  if (prefix === undefined) {
    source.on('data', (chunk: Buffer) => write(target, source, chunk));
    return;
  }
  let continuing = false;
  // One write per chunk, not per line: a chatty child must not cost a write call per line.
  splitLines(source, (lines) => {
    const head = prefix();
    let text = '';
    for (const line of lines) {
      // Shown, not obeyed, as the command line shows them: a carriage return or cursor move could overwrite the prefix.
      text += `${head}${continuing ? CONTINUED : ''}${terminalLine(line.text)}\n`;
      continuing = line.continued;
    }
    write(target, source, text);
  });
}

/** Marks, after the prefix, a piece of a line cut at MAX_LINE_LENGTH. */
export const CONTINUED = '… ';

/** Watches a child's stderr for V8's out-of-memory line, across chunk boundaries. */
function watchForOutOfMemory(stderr: Readable, onOutOfMemory: () => void): void {
  let tail = '';
  const scan = (chunk: Buffer | string) => {
    const text = tail + chunk.toString();
    if (text.includes(OOM_MARKER)) {
      stderr.off('data', scan);
      onOutOfMemory();
      return;
    }
    tail = text.slice(-OOM_MARKER.length);
  };
  stderr.on('data', scan);
}

/** Wires a child's piped stdout/stderr (either may be inherited, so null) to the host's. */
export function routeOutput(stdout: Readable | null, stderr: Readable | null, options: OutputOptions): void {
  const { onLine } = options;
  if (stderr !== null) watchForOutOfMemory(stderr, options.onOutOfMemory);
  if (onLine !== undefined) {
    for (const [stream, source] of [
      ['stdout', stdout],
      ['stderr', stderr],
    ] as const) {
      if (source === null) continue;
      splitLines(source, (lines) => {
        for (const line of lines) onLine(stream, line.text, line.continued);
      });
    }
    return;
  }
  if (stdout !== null) forward(stdout, process.stdout, options.prefix);
  if (stderr !== null) forward(stderr, process.stderr, options.prefix);
}
