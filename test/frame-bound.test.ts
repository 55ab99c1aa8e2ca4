import { expect } from 'chai';
import { JailThread } from 'jailthread';
import { eventWhere, fixture, nextMessage, track } from './helpers.js';

const KINDS: Record<string, string> = {
  event: 'an event "news"',
  item: 'a stream item',
  call: 'a call\\("lookup"\\) to the host',
  answer: 'an answer',
  message: 'a message',
  error: 'an error \\(run-error\\)',
};

describe("frame bound: a child's value is measured at receipt, against a bound linear in the frame's bytes", () => {
  for (const [kind, named] of Object.entries(KINDS)) {
    it(`a sparse array (a few dozen bytes, 50 MB of JSON) as ${kind} kills the child as misbehaved`, async () => {
      const thread = track(JailThread.fromModule(fixture('sparse-frames'), { name: 'sparse' }));
      const ready = nextMessage(thread);
      await thread.start();
      await ready;
      const reported = eventWhere(thread, 'error');
      await thread.send(kind);
      await thread.join(60_000);
      expect(thread.exitReason).to.equal('misbehaved');
      expect((await reported).message).to.match(
        new RegExp(
          `^thread "sparse" \\(pid \\d+\\) sent ${named} of \\d+ bytes whose value is more than \\d+ bytes of JSON \\(a frame's value may be at most 16 × its bytes \\+ 1048576 bytes of JSON\\); it was killed \\(exit reason 'misbehaved'\\)`,
        ),
      );
    });
  }
});
