import { expect } from 'chai';
import { JailThread } from 'jailthread';
import { fixture, messageWhere, nextMessage, track } from './helpers.js';

describe('state: stop() and the child at the same time', () => {
  it('while the host stops a thread, the child setting active = true does not make it active again', async () => {
    const thread = track(JailThread.fromModule(fixture('reactivates')));
    const running = nextMessage(thread);
    await thread.start();
    await running;
    // The child's change comes before its message on the same channel: once the message is in, so is the change.
    const reactivated = messageWhere(thread, (data) => data === 'reactivated');
    const stopped = thread.stop();
    await reactivated;
    expect(thread.active).to.equal(false);
    expect(await stopped).to.include({ forced: false, exitCode: 0 });
    expect(thread.active).to.equal(false);
  });
});
