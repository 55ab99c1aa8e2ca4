import { expect } from 'chai';
import { JailThread } from 'jailthread';
import OptionsEcho from './fixtures/options-echo.js';
import { isGone, startedWarm, workersOfEachTest } from './helpers.js';

describe('spares: a spare lost as a start adopts it', () => {
  const options = { env: { JAILTHREAD_TEST_VAR: 'adoption' } };
  const mine = workersOfEachTest(() => JailThread.prewarm(0, options));

  it('a spare killed just before adoption is not the start’s failure: the start forks cold', async () => {
    await JailThread.prewarm(1, options);
    const [spare] = mine();
    // Killed in the same turn as start(): the host has not seen its exit when the start takes it.
    process.kill(spare as number, 'SIGKILL');
    const thread = new OptionsEcho(options);
    expect(await startedWarm(thread)).to.equal(false);
    expect(thread.ident).to.not.equal(spare);
    expect(thread.isAlive()).to.equal(true);
    expect(isGone(spare as number)).to.equal(true);
    expect(await thread.stop()).to.include({ forced: false, exitCode: 0 });
  });

  it('six starts racing for one spare all start: one adopts it, five fork cold', async () => {
    await JailThread.prewarm(1, options);
    const threads = Array.from({ length: 6 }, () => new OptionsEcho(options));
    const warm = await Promise.all(threads.map(startedWarm));
    expect(warm.filter(Boolean)).to.have.length(1);
    expect(new Set(threads.map((thread) => thread.ident)).size).to.equal(6);
    await Promise.all(threads.map((thread) => thread.stop()));
  });

  it('six starts racing for one spare that is killed as they begin all start, cold', async () => {
    await JailThread.prewarm(1, options);
    const [spare] = mine();
    process.kill(spare as number, 'SIGKILL');
    const threads = Array.from({ length: 6 }, () => new OptionsEcho(options));
    const warm = await Promise.all(threads.map(startedWarm));
    expect(warm.filter(Boolean)).to.deep.equal([]);
    expect(threads.map((thread) => thread.ident)).to.not.include(spare);
    await Promise.all(threads.map((thread) => thread.stop()));
  });
});
