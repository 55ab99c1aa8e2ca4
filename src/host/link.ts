import { ThreadStateError } from '../errors.js';
import type { FrameChannel } from '../protocol/channel.js';
import { type FrameWriter, postFrame } from '../protocol/frame-write.js';
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
  readonly #writer: FrameWriter;

  constructor(state: LinkState) {
    this.#state = state;
    this.#writer = { to: 'child', label: state.label, gone: (call, cause) => this.gone(call, cause) };
  }

  /**
   * Writes a frame; `done` gets null once it is on the channel, or the error
   * that stopped it. Returns the bytes queued (0 when none were).
   */
  post(frame: object, call: string, done: (error: Error | null) => void): number {
    return postFrame(this.#state.channel, this.#state.over(), frame, call, this.#writer, done);
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
