import { expect } from 'chai';
import { JailThread, ThreadStartError } from 'jailthread';
import { fixture, isGone, messageWhere, nextMessage, track } from './helpers.js';

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

describe('lifecycle: kill() while start() is still forking', () => {
  it('the child gets the signal as soon as it exists, and start() rejects', async () => {
    const thread = track(JailThread.fromModule(fixture('plugins/hangs-loading'), { name: 'doomed' }));
    const started = thread.start();
    thread.kill();
    const error = await started.catch((e: Error) => e);
    expect(error).to.be.instanceOf(ThreadStartError);
    expect((error as Error).message).to.include('killed by SIGKILL) before run() began');
    expect(isGone(thread.ident as number)).to.equal(true);
    expect(thread.isAlive()).to.equal(false);
  });
});
