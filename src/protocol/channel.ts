import type { Socket } from 'node:net';
import { DefaultSerializer, deserialize } from 'node:v8';
import type { FrameStream } from './frame-stream.js';

/** The largest frame either side sends or accepts, in bytes of serialized data. */
export const DEFAULT_MAX_FRAME_BYTES = 64 * 2 ** 20 - 1;

const HEADER = 4;
const PLACEHOLDER = Buffer.alloc(HEADER);
/** The first size of a frame's buffer when it arrives in pieces; it doubles from there up to the frame's length. */
const INITIAL_FRAME_BUFFER = 64 * 1024;

/**
 * The frame as one buffer, length first: the serializer writes 4 placeholder
 * bytes ahead of its own output, then they are patched, so a frame costs one
 * write and no copy.
 */
export function encode(frame: unknown): Buffer {
  const serializer = new DefaultSerializer();
  serializer.writeRawBytes(PLACEHOLDER);
  serializer.writeHeader();
  serializer.writeValue(frame);
  const bytes = serializer.releaseBuffer();
  bytes.writeUInt32BE(bytes.length - HEADER, 0);
  return bytes;
}

export interface ChannelEvents {
  /** A frame, and the bytes it took on the wire (its payload): what holding it costs, roughly. */
  onFrame(frame: unknown, bytes: number): void;
  /** A frame that was not accepted (a noun phrase saying why); the stream stays in sync and goes on. */
  onInvalid(problem: string): void;
  onClose(): void;
  /** The buffer a split frame is assembled in grew (bytes > 0) or was let go (bytes < 0). */
  onHeld?(bytes: number): void;
  /**
   * The other side is exiting and has said 'bye' (a child that reads its
   * channel through the fs layer, whose exit waits for that read to return):
   * this side has already ended its writing, which returns it.
   */
  onBye?(): void;
}

/** The transport's own farewell: never a message of the protocol above it. */
export const BYE = { t: 'bye' } as const;
const isBye = (frame: unknown): boolean =>
  typeof frame === 'object' && frame !== null && (frame as { t?: unknown }).t === BYE.t;

/**
 * Frames over a stream socket: a 4-byte big-endian length, then the frame as
 * V8 serializes it (structured clone, as Node's 'advanced' IPC). Not Node's
 * IPC channel, because that buffers a frame of any announced length before
 * anyone can look at it; here the length is checked first, and an oversized
 * frame is discarded as its bytes arrive, so memory stays bounded whatever
 * the other side writes.
 */
export class FrameChannel<S extends FrameStream = Socket> {
  readonly #socket: S;
  #events: ChannelEvents;
  readonly #maxBytes: number;
  /** The length header being received, and how many of its bytes are in. */
  readonly #header = Buffer.alloc(HEADER);
  #headerFilled = 0;
  /**
   * The one buffer a frame split across reads is assembled in: sized from its
   * header, but grown by doubling as bytes arrive rather than allocated whole,
   * so a header that announces 64 MiB costs only what was actually sent.
   */
  #payload: Buffer | undefined;
  #filled = 0;
  /** Length of the frame being received, once its header is in; -1 before. */
  #needed = -1;
  /** Bytes still to discard of an oversized frame. */
  #skipping = 0;
  #open = true;

  constructor(socket: S, events: ChannelEvents, maxBytes = DEFAULT_MAX_FRAME_BYTES) {
    this.#socket = socket;
    this.#events = events;
    this.#maxBytes = maxBytes;
    socket.on('data', (chunk: Buffer) => this.#receive(chunk));
    // A reset or broken pipe means the other side is gone, as 'close' says next.
    socket.on('error', () => undefined);
    socket.once('close', () => {
      this.#open = false;
      this.#let();
      this.#events.onClose();
    });
  }

  get open(): boolean {
    return this.#open && this.#socket.writable;
  }

  /** Hands the frames to a new owner: a spare child's channel, adopted by its thread. */
  retarget(events: ChannelEvents): this {
    this.#events = events;
    return this;
  }

  get socket(): S {
    return this.#socket;
  }

  /**
   * Writes one frame; `done` gets null once it has been handed to the OS, or
   * the error that stopped it: a TypeError (synchronously) for data structured
   * clone refuses, a RangeError for a frame over the size limit. Returns the
   * bytes queued, header included (0 for a refused frame).
   */
  send(frame: unknown, done: (error: Error | null) => void): number {
    let bytes: Buffer;
    try {
      bytes = encode(frame);
    } catch (error) {
      done(new TypeError((error as Error).message, { cause: error }));
      return 0;
    }
    const length = bytes.length - HEADER;
    if (length > this.#maxBytes) {
      done(new RangeError(`the frame is ${length} bytes, over the limit of ${this.#maxBytes}`));
      return 0;
    }
    this.#socket.write(bytes, (error) => done(error ?? null));
    return bytes.length;
  }

  /** Closes the writing side; frames already written are still delivered. */
  end(): void {
    this.#socket.end();
  }

  /**
   * Every byte is looked at once and copied at most twice (into the frame's
   * buffer, and again when that buffer doubles), so the cost is linear in the
   * bytes received however the other side splits its writes.
   */
  #receive(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length && this.#open) {
      if (this.#skipping > 0) {
        const dropped = Math.min(this.#skipping, chunk.length - at);
        this.#skipping -= dropped;
        at += dropped;
        continue;
      }
      if (this.#needed < 0) {
        // The common case, a whole header in this chunk, reads it in place.
        if (this.#headerFilled === 0 && chunk.length - at >= HEADER) {
          this.#needed = chunk.readUInt32BE(at);
          at += HEADER;
        } else {
          const used = chunk.copy(this.#header, this.#headerFilled, at, at + HEADER - this.#headerFilled);
          this.#headerFilled += used;
          at += used;
          if (this.#headerFilled < HEADER) return;
          this.#headerFilled = 0;
          this.#needed = this.#header.readUInt32BE(0);
        }
        if (this.#needed > this.#maxBytes) {
          this.#events.onInvalid(`a frame of ${this.#needed} bytes, over the limit of ${this.#maxBytes}`);
          this.#skipping = this.#needed;
          this.#needed = -1;
          continue;
        }
      }
      const needed = this.#needed;
      const available = chunk.length - at;
      if (this.#payload === undefined && available >= needed) {
        // A frame whole in one read is decoded where it lies, with no copy.
        at += needed;
        this.#needed = -1;
        this.#decode(chunk.subarray(at - needed, at));
        continue;
      }
      if (available === 0) return;
      const used = Math.min(available, needed - this.#filled);
      this.#reserve(this.#filled + used, needed);
      chunk.copy(this.#payload as Buffer, this.#filled, at, at + used);
      this.#filled += used;
      at += used;
      if (this.#filled < needed) return;
      const payload = (this.#payload as Buffer).subarray(0, needed);
      this.#let();
      this.#filled = 0;
      this.#needed = -1;
      this.#decode(payload);
    }
  }

  /** Makes the frame buffer hold at least `size` bytes, never more than the frame's `length`. */
  #reserve(size: number, length: number): void {
    const current = this.#payload?.length ?? 0;
    if (size <= current) return;
    const grown = Math.min(length, Math.max(size, current * 2, INITIAL_FRAME_BUFFER));
    const next = Buffer.allocUnsafe(grown);
    this.#payload?.copy(next, 0, 0, this.#filled);
    this.#payload = next;
    this.#events.onHeld?.(grown - current);
  }

  /** Lets go of the frame buffer, and says so. */
  #let(): void {
    if (this.#payload === undefined) return;
    this.#events.onHeld?.(-this.#payload.length);
    this.#payload = undefined;
  }

  #decode(payload: Buffer): void {
    let frame: unknown;
    try {
      frame = deserialize(payload);
    } catch (error) {
      this.#events.onInvalid(`a frame that could not be deserialized (${(error as Error).message})`);
      return;
    }
    if (isBye(frame)) {
      this.end();
      this.#events.onBye?.();
      return;
    }
    this.#events.onFrame(frame, payload.length);
  }
}

/** The error a sender gets for a frame its channel refused: what was wrong, and the fix. */
export function refusedFrame(call: string, label: string, to: 'child' | 'host', error: TypeError | RangeError): Error {
  const Class = error instanceof RangeError ? RangeError : TypeError;
  return new Class(
    `${call} of ${label}: the data cannot be sent to the ${to} (${error.message}); send plain data that structured clone accepts, under ${DEFAULT_MAX_FRAME_BYTES + 1} bytes.`,
    { cause: error },
  );
}
