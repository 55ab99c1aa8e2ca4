import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import type { ProcessOptions } from '../options.js';
import type { FrameStream } from '../protocol/frame-stream.js';
import { childExecArgv } from './exec-argv.js';

/** What the host reads a child's frames from and writes its own to: fd 3, or fd 3 and the child's stdin. */
export type HostChannelStream = FrameStream & { ref(): unknown; unref(): unknown; destroy(): unknown };

/**
 * Whether the child reads the host's frames from its stdin. A child whose
 * permission model denies it the network (Node 25 and later, without
 * `--allow-net`) may not open fd 3 as a socket and reads it through the fs
 * layer, in libuv's pool, where its read waits behind the plugin's own pool
 * work (four `crypto.pbkdf2()` calls held its health pings for seconds). Node
 * opens stdin as a socket itself, with no such check, and reads it in the
 * event loop: so the host writes to stdin and reads fd 3.
 */
export function framesOnStdin(options: ProcessOptions): boolean {
  if (!process.allowedNodeEnvironmentFlags.has('--allow-net')) return false;
  const flags = childExecArgv(options);
  const sandboxed = flags.some((flag) => flag === '--permission' || flag === '--experimental-permission');
  return sandboxed && !flags.includes('--allow-net');
}

/**
 * Reads fd 3 and writes the child's stdin, as one stream: closed when fd 3
 * closes (the child's end is gone), writable while stdin is.
 */
class SplitStream extends EventEmitter implements HostChannelStream {
  readonly #reader: Socket;
  readonly #writer: Socket;

  constructor(reader: Socket, writer: Socket) {
    super();
    this.#reader = reader;
    this.#writer = writer;
    reader.on('data', (chunk: Buffer) => this.emit('data', chunk));
    reader.once('close', () => this.emit('close'));
    for (const socket of [reader, writer]) socket.on('error', (error) => this.emit('error', error));
  }

  get writable(): boolean {
    return this.#writer.writable;
  }

  write(bytes: Buffer, done: (error?: Error | null) => void): boolean {
    return this.#writer.write(bytes, done);
  }

  end(): void {
    this.#writer.end();
  }

  destroy(): void {
    this.#writer.destroy();
    this.#reader.destroy();
  }

  // A child that never spawned has execa's stand-in streams here, without ref().
  ref(): void {
    for (const socket of [this.#reader, this.#writer] as Partial<Socket>[]) socket.ref?.();
  }

  unref(): void {
    for (const socket of [this.#reader, this.#writer] as Partial<Socket>[]) socket.unref?.();
  }
}

/** The stream of a child's frame channel: fd 3, or fd 3 and stdin when the child reads its frames there. */
export function channelStream(child: { stdio: readonly unknown[] }): HostChannelStream {
  const channel = child.stdio[3] as Socket;
  const stdin = child.stdio[0] as Socket | null | undefined;
  return stdin === null || stdin === undefined ? channel : new SplitStream(channel, stdin);
}
