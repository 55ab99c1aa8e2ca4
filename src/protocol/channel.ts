import type { Socket } from 'node:net';
import { DefaultSerializer, deserialize } from 'node:v8';
import type { FrameStream } from './frame-stream.js';

/** The largest frame either side sends or accepts, in bytes of serialized data. */
export const DEFAULT_MAX_FRAME_BYTES = 64 * 2 ** 20 - 1;

const HEADER = 4;
const PLACEHOLDER = Buffer.alloc(HEADER);

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
  onFrame(frame: unknown): void;
  /** A frame that was not accepted (a noun phrase saying why); the stream stays in sync and goes on. */
  onInvalid(problem: string): void;
  onClose(): void;
}

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
  readonly #chunks: Buffer[] = [];
  #buffered = 0;
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
   * clone refuses, a RangeError for a frame over the size limit.
   */
  send(frame: unknown, done: (error: Error | null) => void): void {
    let bytes: Buffer;
    try {
      bytes = encode(frame);
    } catch (error) {
      done(new TypeError((error as Error).message, { cause: error }));
      return;
    }
    const length = bytes.length - HEADER;
    if (length > this.#maxBytes) {
      done(new RangeError(`the frame is ${length} bytes, over the limit of ${this.#maxBytes}`));
      return;
    }
    this.#socket.write(bytes, (error) => done(error ?? null));
  }

  /** Closes the writing side; frames already written are still delivered. */
  end(): void {
    this.#socket.end();
  }

  #receive(chunk: Buffer): void {
    let data = chunk;
    if (this.#skipping > 0) {
      const dropped = Math.min(this.#skipping, data.length);
      this.#skipping -= dropped;
      data = data.subarray(dropped);
    }
    if (data.length > 0) {
      this.#chunks.push(data);
      this.#buffered += data.length;
    }
    while (this.#open) {
      if (this.#needed < 0) {
        if (this.#buffered < HEADER) return;
        const length = this.#take(HEADER).readUInt32BE(0);
        if (length > this.#maxBytes) {
          this.#events.onInvalid(`a frame of ${length} bytes, over the limit of ${this.#maxBytes}`);
          const dropped = Math.min(length, this.#buffered);
          this.#take(dropped);
          this.#skipping = length - dropped;
          continue;
        }
        this.#needed = length;
      }
      if (this.#buffered < this.#needed) return;
      const payload = this.#take(this.#needed);
      this.#needed = -1;
      let frame: unknown;
      try {
        frame = deserialize(payload);
      } catch (error) {
        this.#events.onInvalid(`a frame that could not be deserialized (${(error as Error).message})`);
        continue;
      }
      this.#events.onFrame(frame);
    }
  }

  /** Removes and returns the first `n` buffered bytes, copying only when they span chunks. */
  #take(n: number): Buffer {
    if (n === 0) return Buffer.alloc(0);
    this.#buffered -= n;
    const first = this.#chunks[0] as Buffer;
    if (first.length > n) {
      this.#chunks[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    if (first.length === n) {
      this.#chunks.shift();
      return first;
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const head = this.#chunks[0] as Buffer;
      const used = Math.min(head.length, n - filled);
      head.copy(out, filled, 0, used);
      filled += used;
      if (used === head.length) this.#chunks.shift();
      else this.#chunks[0] = head.subarray(used);
    }
    return out;
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
