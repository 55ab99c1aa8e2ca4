import type { Readable, Writable } from 'node:stream';

// V8 has no hook for heap exhaustion: it prints this line and aborts, just as
// process.abort() would, so the line is the only way to tell the two apart.
const OOM_MARKER = 'JavaScript heap out of memory';

export interface OutputOptions {
  /** Gives what to prepend to every line (read per chunk: the thread may be renamed), or undefined to pass bytes through. */
  prefix: (() => string) | undefined;
  /** Takes every line instead of the host's streams (a plugin host's logger). */
  onLine: ((stream: 'stdout' | 'stderr', line: string) => void) | undefined;
  onOutOfMemory(): void;
}

/** Children paused because the host's stream is full; one 'drain' listener per host stream resumes them all. */
const waiting = new Map<Writable, Set<Readable>>();

function write(target: Writable, source: Readable, data: string | Buffer): void {
  if (target.write(data)) return;
  source.pause();
  let paused = waiting.get(target);
  if (paused === undefined) {
    const set = new Set<Readable>();
    paused = set;
    waiting.set(target, set);
    // Not pipe(): it adds listeners to the host's stream per child, and the
    // eleventh thread would trip MaxListenersExceededWarning.
    target.once('drain', () => {
      waiting.delete(target);
      for (const source of set) source.resume();
    });
  }
  paused.add(source);
}

/** Calls `onLines` with the complete lines of each chunk, and with a last unterminated one at the end. */
function splitLines(source: Readable, onLines: (lines: string[]) => void): void {
  let partial = '';
  source.setEncoding('utf8');
  source.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() as string;
    if (lines.length > 0) onLines(lines);
  });
  source.on('end', () => {
    if (partial !== '') onLines([partial]);
  });
}

/** Copies a child's stream to the host's, line-prefixed when asked, with backpressure. */
function forward(source: Readable, target: Writable, prefix: (() => string) | undefined): void {
  if (prefix === undefined) {
    source.on('data', (chunk: Buffer) => write(target, source, chunk));
    return;
  }
  // One write per chunk, not per line: a chatty child must not cost a write call per line.
  splitLines(source, (lines) => {
    const head = prefix();
    write(target, source, `${head}${lines.join(`\n${head}`)}\n`);
  });
}

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
        for (const line of lines) onLine(stream, line);
      });
    }
    return;
  }
  if (stdout !== null) forward(stdout, process.stdout, options.prefix);
  if (stderr !== null) forward(stderr, process.stderr, options.prefix);
}
