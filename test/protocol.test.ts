import { expect } from 'chai';
import { ProtocolError } from 'jailthread';
import BadFrames from './fixtures/bad-frames.js';
import { messageWhere, nextMessage, track } from './helpers.js';

describe('protocol: frames outside the protocol', () => {
  for (const kind of ['unknown', 'wrong-type', 'not-object', 'negative-sleeptime']) {
    it(`a child's ${kind} frame is a ProtocolError naming the thread, and changes nothing`, async () => {
      const thread = track(new BadFrames({ name: 'liar', sleeptime: 60_000 }));
      const errors: Error[] = [];
      thread.on('error', (error) => errors.push(error));
      const ready = nextMessage(thread);
      await thread.start();
      await ready;
      const sent = messageWhere(thread, (data) => data === `sent:${kind}`);
      await thread.send(kind);
      await sent;
      expect(errors).to.have.length(1);
      expect(errors[0]).to.be.instanceOf(ProtocolError);
      expect((errors[0] as ProtocolError).code).to.equal('ERR_THREAD_PROTOCOL');
      expect(errors[0]?.message).to.match(
        /^thread "liar" \(pid \d+\) sent a frame outside the protocol \(.+\); it was ignored/,
      );
      expect([thread.idle, thread.sleeptime]).to.deep.equal([false, 60_000]);
      expect(await thread.getStatus()).to.equal('still working');
      await thread.stop();
    });
  }
});
