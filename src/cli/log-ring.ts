import type { LogEntry } from '../supervisor/events.js';
import { clip, terminalLine } from '../terminal-text.js';

/** A plugin's line as `logs` sends it: escaped as `run` prints it, with its time and a sequence number. */
export interface RingLine {
  /** Rises by one with every line the host keeps, across plugins: `logs --follow` asks for the ones after it. */
  seq: number;
  /** ISO 8601. */
  time: string;
  stream: 'stdout' | 'stderr';
  line: string;
}

/** Lines kept per plugin. */
export const RING_LINES = 1000;
/**
 * Bytes kept per plugin, counted as the lines' JSON: the whole ring of one
 * plugin fits in one control-socket answer (1 MiB) with room to spare.
 */
export const RING_BYTES = 512 * 1024;
/** Characters kept of one line: a plugin's 64 Ki-character line, escaped, could be six times that. */
const MAX_LINE = 16 * 1024;

interface Ring {
  lines: RingLine[];
  sizes: number[];
  bytes: number;
}

/**
 * The last lines of each plugin's stdout and stderr, for `jailthread logs`.
 * Bounded per plugin by a count and by bytes: a plugin that writes fast
 * costs the host at most RING_BYTES, and each line costs time linear in
 * its length.
 */
export class LogRing {
  readonly #rings = new Map<string, Ring>();
  readonly #maxLines: number;
  readonly #maxBytes: number;
  #seq = 0;

  constructor(maxLines = RING_LINES, maxBytes = RING_BYTES) {
    this.#maxLines = maxLines;
    this.#maxBytes = maxBytes;
  }

  /** Keeps a line; returns it as kept. */
  add({ plugin, stream, line }: LogEntry): RingLine {
    let ring = this.#rings.get(plugin);
    if (ring === undefined) {
      ring = { lines: [], sizes: [], bytes: 0 };
      this.#rings.set(plugin, ring);
    }
    const kept: RingLine = {
      seq: ++this.#seq,
      time: new Date().toISOString(),
      stream,
      line: clip(terminalLine(line), MAX_LINE),
    };
    const size = Buffer.byteLength(JSON.stringify(kept));
    ring.lines.push(kept);
    ring.sizes.push(size);
    ring.bytes += size;
    // shift() is linear in the ring's length, which is bounded: fine for 1,000.
    while (ring.lines.length > this.#maxLines || ring.bytes > this.#maxBytes) {
      ring.lines.shift();
      ring.bytes -= ring.sizes.shift() as number;
    }
    return kept;
  }

  /** Whether the host kept any line of `plugin` (it may have been removed since). */
  has(plugin: string): boolean {
    return this.#rings.has(plugin);
  }

  /** The last `count` lines of `plugin` whose seq is over `after`, oldest first. */
  last(plugin: string, count: number, after = 0): RingLine[] {
    const lines = this.#rings.get(plugin)?.lines ?? [];
    let start = Math.max(0, lines.length - count);
    while (start < lines.length && (lines[start] as RingLine).seq <= after) start++;
    return lines.slice(start);
  }
}
