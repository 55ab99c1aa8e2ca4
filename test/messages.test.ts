import { expect } from 'chai';
import { ThreadStateError } from 'jailthread';
import Echo from './fixtures/echo.js';
import { SlowEcho } from './fixtures/slow-loading.js';
import { messageWhere, nextMessage, track, within } from './helpers.js';

describe('messages: send() and the message event, both ways', () => {
  it('delivers user data both ways, with what structured clone keeps', async () => {
    const thread = track(new Echo());
    const ready = nextMessage(thread);
    await thread.start();
    expect(await ready).to.equal('ready');
    const data = { when: new Date(0), tags: new Set(['a']), map: new Map([[1, 2n]]), bytes: new Uint8Array([1, 2]) };
    const echoed = nextMessage(thread);
    await thread.send(data);
    expect(await echoed).to.deep.equal({ echo: data });
    await thread.stop();
  });

  it('a message sent while the child is still loading reaches the listener run() sets up', async () => {
    const thread = track(new SlowEcho());
    const echoed = messageWhere(thread, (data) => typeof data === 'object');
    const started = thread.start();
    // The child exists once ident is known; its module then takes 1 s to load.
    expect(await within(() => thread.ident !== undefined, 5_000)).to.equal(true);
    await thread.send('early');
    await started;
    expect(await echoed).to.deep.equal({ echo: 'early' });
    await thread.stop();
  });

  it('user data shaped like a control frame stays user data', async () => {
    const thread = track(new Echo({ sleeptime: 60_000 }));
    const ready = nextMessage(thread);
    await thread.start();
    await ready;
    const forged = { t: 'set', idle: true, sleeptime: 1 };
    const echoed = messageWhere(thread, (data) => typeof data === 'object');
    await thread.send(forged);
    expect(await echoed).to.deep.equal({ echo: forged });
    expect([thread.idle, thread.sleeptime]).to.deep.equal([false, 60_000]);
    await thread.stop();
  });

  it('data that cannot be cloned fails at the sender with a TypeError, and the thread goes on', async () => {
    const thread = track(new Echo({ name: 'picky' }));
    const ready = nextMessage(thread);
    await thread.start();
    await ready;
    const error = (await thread.send({ fn: () => 1 }).catch((e: unknown) => e)) as Error;
    expect(error).to.be.instanceOf(TypeError);
    expect(error.message).to.match(/send\(\) of thread "picky" \(pid \d+\): the data cannot be sent to the child/);
    const echoed = nextMessage(thread);
    await thread.send('still here');
    expect(await echoed).to.deep.equal({ echo: 'still here' });
    await thread.stop();
  });

  it('send() to an exited thread rejects with ThreadStateError', async () => {
    const thread = track(new Echo());
    await thread.start();
    await thread.stop();
    const error = (await thread.send('late').catch((e: unknown) => e)) as Error;
    expect(error).to.be.instanceOf(ThreadStateError);
    expect(error.message).to.match(/could not complete: the thread exited \(exit code 0\)/);
  });
});
