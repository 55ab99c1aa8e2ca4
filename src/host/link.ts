import { ThreadStateError } from '../errors.js';
import { type FrameChannel, refusedFrame } from '../protocol/channel.js';
import type { HostChannelStream } from './channel-stream.js';

/** What writing to a child needs to know of it. */
export interface LinkState {
  channel: FrameChannel<HostChannelStream>;
  label(): string;
  /** The child has exited or been sent SIGKILL: nothing written would reach it. */
  over(): boolean;
  /** How the child exited, in words, once it has. */
  exited(): string | undefined;
}

/** The host's one way of writing frames to a child, and the error for a write that cannot be done. */
export class ChildLink {
  readonly #state: LinkState;

  constructor(state: LinkState) {
    this.#state = state;
  }

  /**
   * Writes a frame; `done` gets null once it is on the channel, or the error
   * that stopped it. Returns the bytes queued (0 when none were).
   */
  post(frame: object, call: string, done: (error: Error | null) => void): number {
    const { channel } = this.#state;
    if (this.#state.over() || !channel.open) {
      done(this.gone(call));
      return 0;
    }
    return channel.send(frame, (error) => {
      if (error === null) done(null);
      else if (error instanceof TypeError || error instanceof RangeError) {
        done(refusedFrame(call, this.#state.label(), 'child', error));
      } else done(this.gone(call, error));
    });
  }

  write(frame: object, call: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.post(frame, call, (error) => (error === null ? resolve() : reject(error)));
    });
  }

  gone(call: string, cause?: Error): ThreadStateError {
    const exited = this.#state.exited();
    const why = exited === undefined ? 'is disconnecting' : `exited (${exited})`;
    return new ThreadStateError(
      `${call} of ${this.#state.label()} could not complete: the thread ${why}. Check isAlive() before calling.`,
      cause === undefined ? undefined : { cause },
    );
  }
}
