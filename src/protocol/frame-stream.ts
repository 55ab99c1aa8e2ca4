/** What FrameChannel needs of the stream under it: a net.Socket, or the child's fd read through fs. */
export interface FrameStream {
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  once(event: 'close', listener: () => void): unknown;
  readonly writable: boolean;
  write(bytes: Buffer, done: (error?: Error | null) => void): unknown;
  end(): unknown;
}
