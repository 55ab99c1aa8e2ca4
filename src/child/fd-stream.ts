import { EventEmitter } from 'node:events';
import { createReadStream, createWriteStream, fstatSync } from 'node:fs';
import { Socket } from 'node:net';
import type { FrameStream } from '../protocol/frame-stream.js';

/**
 * The channel's fd read and written through the fs layer, for a child whose
 * permission model denies it the network (Node 25 and later without
 * `--allow-net`): opening the fd as a net.Socket is then refused, fs reads
 * and writes of it are not. Each pending read holds one thread of libuv's
 * pool, as a blocking read of a socket must.
 */
class FdStream extends EventEmitter implements FrameStream {
  readonly #reader;
  readonly #writer;
  #closed = false;

  constructor(fd: number) {
    super();
    this.#reader = createReadStream('', { fd, autoClose: false, highWaterMark: 64 * 1024 });
    this.#writer = createWriteStream('', { fd, autoClose: false });
    this.#reader.on('data', (chunk) => this.emit('data', chunk as Buffer));
    // End of file is the host closing its end, as 'close' on a socket says.
    this.#reader.on('end', () => this.#close());
    this.#reader.on('error', (error) => this.#fail(error));
    this.#writer.on('error', (error) => this.#fail(error));
  }

  get writable(): boolean {
    return !this.#closed && this.#writer.writable;
  }

  get writableLength(): number {
    return this.#writer.writableLength;
  }

  write(bytes: Buffer, done: (error?: Error | null) => void): boolean {
    return this.#writer.write(bytes, done);
  }

  /** Half-closing is for sockets; the fd stays open until the process ends. */
  end(): void {
    this.#writer.end();
  }

  #fail(error: Error): void {
    this.emit('error', error);
    this.#close();
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.emit('close');
  }
}

/** Whether `fd` is an open socket: what JailThread.start() passes its child. */
function isSocket(fd: number): boolean {
  try {
    return fstatSync(fd).isSocket();
  } catch (error) {
    if ((error as { code?: string }).code === 'EBADF') return false;
    throw error;
  }
}

/**
 * Opens the host's end of the frame channel on `fd`: a socket where the
 * child may use one, else the fs layer. Undefined when `fd` is no socket,
 * as in a process not started by JailThread.start(); other failures throw.
 */
export function openFrameStream(fd: number): FrameStream | undefined {
  if (!isSocket(fd)) return undefined;
  try {
    return new Socket({ fd, readable: true, writable: true });
  } catch (error) {
    if ((error as { code?: string }).code !== 'ERR_ACCESS_DENIED') throw error;
    return new FdStream(fd);
  }
}
