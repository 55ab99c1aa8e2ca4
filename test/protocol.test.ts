import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { execa } from 'execa';
import { ProtocolError } from 'jailthread';
import BadFrames from './fixtures/bad-frames.js';
import { hostScript, messageWhere, nextMessage, track } from './helpers.js';

/** Starts a BadFrames thread that records its errors, and waits for its first message. */
async function liar() {
  const thread = track(new BadFrames({ name: 'liar', sleeptime: 60_000 }));
  const errors: Error[] = [];
  thread.on('error', (error) => errors.push(error));
  const ready = nextMessage(thread);
  await thread.start();
  await ready;
  const provoke = async (kind: string) => {
    const sent = messageWhere(thread, (data) => data === `sent:${kind}`);
    await thread.send(kind);
    await sent;
  };
  return { thread, errors, provoke };
}

describe('protocol: a child is untrusted', () => {
  const cases = {
    unknown: /a frame outside the protocol \(t: invalid_union/,
    'wrong-type': /idle: invalid_type \(expected boolean\)/,
    'string-for-number': /id: invalid_type \(expected number\)/,
    'not-object': /a frame outside the protocol \(frame: invalid_type \(expected object\)\)/,
    'negative-sleeptime': /sleeptime: too_small/,
    undecodable: /a frame that could not be deserialized/,
  };
  for (const [kind, words] of Object.entries(cases)) {
    it(`a ${kind} frame is a ProtocolError naming the thread, and changes nothing`, async () => {
      const { thread, errors, provoke } = await liar();
      await provoke(kind);
      expect(errors).to.have.length(1);
      expect(errors[0]).to.be.instanceOf(ProtocolError);
      expect((errors[0] as ProtocolError).code).to.equal('ERR_THREAD_PROTOCOL');
      expect(errors[0]?.message).to.match(/^thread "liar" \(pid \d+\) sent .+; it was ignored and changed nothing\.$/);
      expect(errors[0]?.message).to.match(words);
      expect([thread.idle, thread.sleeptime]).to.deep.equal([false, 60_000]);
      expect(await thread.getStatus()).to.equal('still working');
      await thread.stop();
    });
  }

  it('a 64 MiB frame is discarded as it arrives: the host never holds it, and the thread goes on', async () => {
    const host = await execa(process.execPath, ['--expose-gc', fileURLToPath(hostScript('big-frame'))]);
    const { peakMiB, errors, status } = JSON.parse(host.stdout);
    expect(peakMiB, 'live buffer memory at its peak, far below the frame').to.be.below(8);
    expect(errors).to.have.length(1);
    expect(errors[0]).to.match(
      /^thread "Thread-\d+" \(pid \d+\) sent a frame of 67108864 bytes, over the limit of 67108863; it was ignored/,
    );
    expect(status).to.equal('still working');
  });

  it('a flood of 100 000 bad frames: the first 100 are reported, then the thread is killed', async () => {
    const { thread, errors } = await liar();
    await thread.send('flood');
    await thread.join();
    expect(thread.signalCode).to.equal('SIGKILL');
    expect(errors).to.have.length(101);
    expect(errors[100]?.message).to.match(/sent 100 frames outside the protocol; it was killed/);
  });

  it('a flood of 100 000 valid messages is delivered in order, with the host’s memory bounded', async () => {
    const { thread, provoke } = await liar();
    let count = 0;
    let inOrder = true;
    thread.on('message', (data) => {
      if (typeof data === 'number') inOrder &&= data === count++;
    });
    const before = process.memoryUsage().rss;
    await provoke('valid flood');
    expect([count, inOrder]).to.deep.equal([100_000, true]);
    expect(process.memoryUsage().rss - before).to.be.below(64 * 2 ** 20);
    await thread.stop();
  });
});
