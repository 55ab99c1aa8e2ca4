import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { Socket } from 'node:net';
import { deserialize, serialize } from 'node:v8';
import { expect } from 'chai';
import { fixture } from './helpers.js';

// The host never sends a bad frame through the public API, so this test
// plays the host by hand against the worker entry the package ships, writing
// frames as the channel does: a 4-byte length, then V8-serialized data.
const ENTRY = new URL('./worker-entry.js', import.meta.resolve('jailthread'));

const frame = (value: unknown): Buffer => {
  const payload = serialize(value);
  const header = Buffer.alloc(4);
  header.writeUInt32BE(payload.length);
  return Buffer.concat([header, payload]);
};

/** Resolves with the next frame the child writes (the test's frames are small: one chunk each). */
const nextFrame = async (channel: Socket): Promise<unknown> => {
  const [chunk] = (await once(channel, 'data')) as [Buffer];
  return deserialize(chunk.subarray(4, 4 + chunk.readUInt32BE(0)));
};

/** Every frame the channel brings until one of type `last`, however the chunks split them. */
const framesUntil = (channel: Socket, last: string): Promise<unknown[]> =>
  new Promise((resolve) => {
    const frames: unknown[] = [];
    let bytes = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      bytes = Buffer.concat([bytes, chunk]);
      while (bytes.length >= 4 && bytes.length >= 4 + bytes.readUInt32BE(0)) {
        const frame = deserialize(bytes.subarray(4, 4 + bytes.readUInt32BE(0))) as { t: string };
        bytes = bytes.subarray(4 + bytes.readUInt32BE(0));
        frames.push(frame);
        if (frame.t === last) {
          channel.off('data', onData);
          resolve(frames);
          return;
        }
      }
    };
    channel.on('data', onData);
  });

describe('child protocol: frames from the host are validated too', () => {
  it('ignores frames outside the protocol with a ProtocolError line, then starts on a valid init', async () => {
    const child = spawn(process.execPath, [ENTRY.pathname], { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
    after(() => child.kill('SIGKILL'));
    const channel = child.stdio[3] as Socket;
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk;
    });
    // Started without a module URL, the entry behaves as a spare and says it is ready.
    expect(await nextFrame(channel)).to.deep.equal({ t: 'ready' });
    channel.write(frame({ t: 'launch' }));
    channel.write(frame({ t: 'request', id: 'one', kind: 'status' }));
    channel.write(Buffer.from([0, 0, 0, 2, 0xff, 0xff]));
    // A spare says it has its init frame, then that run() has begun: one chunk or two.
    const started = framesUntil(channel, 'started');
    channel.write(
      frame({
        t: 'init',
        module: fixture('ticker').href,
        className: 'Ticker',
        options: {},
        args: [],
        state: { name: 'by-hand', daemon: false, idle: false, sleeptime: 60_000, active: true, stopTimeout: 5000 },
      }),
    );
    expect(await started).to.deep.equal([{ t: 'adopted' }, { t: 'started' }]);
    channel.write(frame({ t: 'init', module: 'again', options: {}, args: [], state: {} }));
    const closed = once(child, 'close');
    channel.write(frame({ t: 'set', active: false }));
    expect(await closed).to.deep.equal([0, null]);
    const lines = stderr.match(/ProtocolError: .*/g) ?? [];
    expect(lines).to.have.length(4);
    expect(lines[0]).to.match(/received a frame from the host outside the protocol \(t: invalid_union/);
    expect(lines[1]).to.match(/id: invalid_type \(expected number\)/);
    expect(lines[2]).to.match(/received from the host a frame that could not be deserialized/);
    expect(lines[3]).to.match(/thread "by-hand" .* received a frame from the host outside the protocol/);
    // Before the thread exists the runtime prints the error itself, in the same words as a thread's.
    expect(stderr).to.match(/^Exception in thread "[^"]*" \(pid \d+\):\nProtocolError: /m);
  });

  it('refuses to run outside a thread, where fd 3 is no channel', async () => {
    const child = spawn(process.execPath, [ENTRY.pathname], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk;
    });
    expect(await once(child, 'close')).to.deep.equal([1, null]);
    expect(stderr).to.match(/runs only as a child started by JailThread\.start\(\)/);
  });
});
