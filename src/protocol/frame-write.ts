import { type FrameChannel, refusedFrame } from './channel.js';
import type { FrameStream } from './frame-stream.js';

/** Who writes, as its errors name it: the other side, the writer's own label, and the error for a write that cannot be done. */
export interface FrameWriter {
  /** Where the frames go: named in a refused frame's error. */
  to: 'child' | 'host';
  label(): string;
  /** The error for a write whose other side is gone (or going); `cause` is the channel's, if it gave one. */
  gone(call: string, cause?: Error): Error;
}

/**
 * Both sides' one way of writing a frame: refused at once, as `gone`, when
 * the channel is over (`over`, or closed); data the channel cannot encode or
 * that is over the frame limit is the caller's TypeError or RangeError, named
 * for `call`; any other failure means the other side is gone. `done` gets
 * null once the frame is on the channel. Returns the bytes queued (0 when none were).
 */
export function postFrame<S extends FrameStream>(
  channel: FrameChannel<S> | undefined,
  over: boolean,
  frame: object,
  call: string,
  writer: FrameWriter,
  done: (error: Error | null) => void,
): number {
  if (channel === undefined || over || !channel.open) {
    done(writer.gone(call));
    return 0;
  }
  return channel.send(frame, (error) => {
    if (error === null) done(null);
    else if (error instanceof TypeError || error instanceof RangeError) {
      done(refusedFrame(call, writer.label(), writer.to, error));
    } else done(writer.gone(call, error));
  });
}
