import { expect } from 'chai';
import { ThreadStateError, ThreadTimeoutError } from 'jailthread';
import StatusFlavors from './fixtures/status-flavors.js';
import Ticker from './fixtures/ticker.js';
import { track } from './helpers.js';

describe('status: getStatus() runs the child’s status()', () => {
  it('passes the flavor and returns the child’s answer', async () => {
    const thread = track(new StatusFlavors());
    await thread.start();
    expect(await thread.getStatus()).to.deep.equal({ flavor: null, calls: 1 });
    expect(await thread.getStatus('basic')).to.deep.equal({ flavor: 'basic', calls: 2 });
    await thread.stop();
  });

  it('after exit, returns the last status the child reported', async () => {
    const thread = track(new Ticker({ sleeptime: 60_000, idle: true }));
    await thread.start();
    await thread.stop();
    expect(await thread.getStatus()).to.deep.equal({ ticks: 0 });
  });

  it('a status() that throws rejects with the child’s error, class, message and stack', async () => {
    const thread = track(new StatusFlavors());
    await thread.start();
    const error = (await thread.getStatus('throws').catch((e: unknown) => e)) as Error;
    expect(error).to.be.instanceOf(RangeError);
    expect(error.message).to.equal('status cannot be told');
    expect(error.stack).to.contain('status-flavors.js');
    expect(await thread.getStatus('again')).to.include({ flavor: 'again' });
    await thread.stop();
  });

  it('a status that cannot cross the boundary rejects with a TypeError naming it', async () => {
    const thread = track(new StatusFlavors());
    await thread.start();
    const error = (await thread.getStatus('unsendable').catch((e: unknown) => e)) as Error;
    expect(error).to.be.instanceOf(TypeError);
    expect(error.message).to.match(/status\(\) of thread .* cannot be sent to the host/);
    await thread.stop();
  });

  it('a status() that never answers rejects with ThreadTimeoutError after its timeout', async () => {
    const thread = track(new StatusFlavors({ name: 'slow' }));
    await thread.start();
    const error = (await thread.getStatus('hangs', { timeout: 1 }).catch((e: unknown) => e)) as Error;
    expect(error).to.be.instanceOf(ThreadTimeoutError);
    expect((error as ThreadTimeoutError).code).to.equal('ERR_THREAD_TIMEOUT');
    expect(error.message).to.match(/getStatus\(\) of thread "slow" \(pid \d+\): no answer within 1 ms/);
    await thread.stop();
  });

  it('calls pending when the child exits reject with ThreadStateError', async () => {
    const thread = track(new StatusFlavors());
    await thread.start();
    const pending = thread.getStatus('hangs', { timeout: 60_000 }).catch((e: unknown) => e);
    thread.kill();
    const error = (await pending) as Error;
    expect(error).to.be.instanceOf(ThreadStateError);
    expect(error.message).to.match(/could not complete: the thread exited \(killed by SIGKILL\)/);
  });
});
