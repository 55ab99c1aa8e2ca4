import { EventEmitter } from 'node:events';
import { expect } from 'chai';
import { BYE, encode, FrameChannel } from '../src/protocol/channel.js';
import type { FrameStream } from '../src/protocol/frame-stream.js';

// Pure: the channel's framing, over a stream that is only an event emitter.
class FakeStream extends EventEmitter implements FrameStream {
  readonly written: Buffer[] = [];
  ended = false;
  readonly writable = true;
  write(bytes: Buffer, done: (error?: Error | null) => void): boolean {
    this.written.push(bytes);
    done(null);
    return true;
  }
  end(): void {
    this.ended = true;
  }
}

function channel(maxBytes?: number) {
  const stream = new FakeStream();
  const frames: unknown[] = [];
  const invalid: string[] = [];
  let byes = 0;
  new FrameChannel(
    stream,
    {
      onFrame: (frame) => frames.push(frame),
      onInvalid: (problem) => invalid.push(problem),
      onClose: () => undefined,
      onBye: () => {
        byes++;
      },
    },
    maxBytes,
  );
  return { stream, frames, invalid, byes: () => byes, feed: (bytes: Buffer) => stream.emit('data', bytes) };
}

describe('channel: framing over a byte stream', () => {
  it('a frame split at every byte arrives whole, and frames stay in order', () => {
    const { frames, feed } = channel();
    const bytes = Buffer.concat([encode({ t: 'msg', data: 'first' }), encode({ t: 'msg', data: [1, 2, 3] })]);
    for (const byte of bytes) feed(Buffer.of(byte));
    expect(frames).to.deep.equal([
      { t: 'msg', data: 'first' },
      { t: 'msg', data: [1, 2, 3] },
    ]);
  });

  it('many frames in one chunk are each delivered', () => {
    const { frames, feed } = channel();
    feed(Buffer.concat(Array.from({ length: 100 }, (_, i) => encode({ t: 'msg', data: i }))));
    expect(frames.map((frame) => (frame as { data: number }).data)).to.deep.equal(
      Array.from({ length: 100 }, (_, i) => i),
    );
  });

  it('an oversized frame is refused from its header and skipped as it arrives; the next one is delivered', () => {
    const { frames, invalid, feed } = channel(16);
    const header = Buffer.alloc(4);
    header.writeUInt32BE(1000);
    feed(header);
    for (let i = 0; i < 10; i++) feed(Buffer.alloc(100, 0x41));
    feed(encode({ t: 'x' }));
    expect(invalid).to.deep.equal(['a frame of 1000 bytes, over the limit of 16']);
    expect(frames).to.deep.equal([{ t: 'x' }]);
  });

  it('an undecodable frame is reported and the stream stays in step', () => {
    const { frames, invalid, feed } = channel();
    const header = Buffer.alloc(4);
    header.writeUInt32BE(3);
    feed(Buffer.concat([header, Buffer.from([0xff, 0x0f, 0x77]), encode({ t: 'after' })]));
    expect(invalid).to.have.length(1);
    expect(invalid[0]).to.match(/^a frame that could not be deserialized/);
    expect(frames).to.deep.equal([{ t: 'after' }]);
  });

  it("'bye' ends this side and is not a frame of the protocol above", () => {
    const { stream, frames, byes, feed } = channel();
    feed(encode(BYE));
    expect(stream.ended).to.equal(true);
    expect(byes()).to.equal(1);
    expect(frames).to.deep.equal([]);
  });

  it('send() writes one buffer, the length then the frame, which the other end decodes', () => {
    const receiver = channel();
    const sent = new FakeStream();
    const sender = new FrameChannel(sent, {
      onFrame: () => undefined,
      onInvalid: () => undefined,
      onClose: () => undefined,
    });
    sender.send({ t: 'msg', data: 'hi' }, () => undefined);
    expect(sent.written).to.have.length(1);
    const [bytes] = sent.written as [Buffer];
    expect(bytes.readUInt32BE(0)).to.equal(bytes.length - 4);
    receiver.feed(bytes);
    expect(receiver.frames).to.deep.equal([{ t: 'msg', data: 'hi' }]);
  });
});
