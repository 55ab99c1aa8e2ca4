import { EventEmitter } from 'node:events';
import { createReadStream, fstatSync, writeSync } from 'node:fs';
import { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { BYE, encode } from '../protocol/channel.js';
import type { FrameStream } from '../protocol/frame-stream.js';

/**
 * The channel's fd read and written through the fs layer, for a child whose
 * permission model denies it the network (Node 25 and later without
 * `--allow-net`): opening the fd as a net.Socket is then refused, fs reads
 * and writes of it are not.
 *
 * Its frames are read from stdin, which the host writes them to for such a
 * child: a socket Node opens itself, read in the event loop. Where stdin is
 * not a socket, fd 3 is read through fs: that pending read holds one thread
 * of libuv's pool, blocked in read(2), and waits behind the thread's own pool
 * work; Node joins the pool's threads as the process exits, so at exit the
 * child says 'bye', and the host ends its side, which returns that read.
 * Writes are synchronous, so no write of the pool's can be half done when
 * 'bye' goes out.
 */
class FdStream extends EventEmitter implements FrameStream {
  readonly #fd: number;
  #closed = false;

  constructor(fd: number) {
    super();
    this.#fd = fd;
    // The host writes its frames to stdin when it can (see src/host/channel-stream.ts): Node opens
    // stdin as a socket without the network check, and reads it in the event loop, not in the pool.
    const reader: Readable = isSocket(0)
      ? process.stdin
      : createReadStream('', { fd, autoClose: false, highWaterMark: 64 * 1024 });
    reader.on('data', (chunk: Buffer) => this.emit('data', chunk));
    // End of file is the host closing its end, as 'close' on a socket says.
    reader.on('end', () => this.#close());
    reader.on('error', (error: Error) => this.#fail(error));
    process.once('exit', () => this.#farewell());
    sayByeOnExit(() => this.#farewell());
  }

  get writable(): boolean {
    return !this.#closed;
  }

  write(bytes: Buffer, done: (error?: Error | null) => void): boolean {
    let error: Error | null = null;
    try {
      // A blocking fd: writeSync returns once the kernel has taken every byte.
      for (let sent = 0; sent < bytes.length; ) sent += writeSync(this.#fd, bytes, sent);
    } catch (caught) {
      error = caught as Error;
    }
    // Callbacks of socket writes never run synchronously; neither do these.
    process.nextTick(() => {
      done(error);
      if (error !== null) this.#fail(error);
    });
    return true;
  }

  /** Half-closing is for sockets; the fd stays open until the process ends. */
  end(): void {}

  #farewell(): void {
    if (this.#closed) return;
    try {
      writeSync(this.#fd, encode(BYE));
    } catch {
      // The host is gone, and so is the read it would have ended.
    }
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

/**
 * Says 'bye' also from the step process.exit() takes after the 'exit' event
 * (reallyExit): a thread that removes the process's 'exit' listeners would
 * otherwise exit without a word and stay blocked, half exited, until the
 * host next wrote. (The loop cannot end by itself while the read is pending.)
 */
function sayByeOnExit(farewell: () => void): void {
  const host = process as NodeJS.Process & { reallyExit(code?: number): never };
  const reallyExit = host.reallyExit;
  host.reallyExit = function (this: NodeJS.Process, code?: number): never {
    farewell();
    return reallyExit.call(this, code);
  };
}

/** Whether `fd` is an open socket: what JailThread.start() passes its child. */
function isSocket(fd: number): boolean {
  try {
    // BigInt stats: Node 20's realpathSync reads the type of the last number-stat made in the process
    // for a path part it has cached, and a socket's there stops its walk short of a symlink. The thread's
    // `import 'jailthread'` through a symlinked install (npm link, workspaces, pnpm) then loaded the
    // library a second time: ~7 ms of every start on Node 20.
    return fstatSync(fd, { bigint: true }).isSocket();
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
