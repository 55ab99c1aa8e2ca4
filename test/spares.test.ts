import { expect } from 'chai';
import { execaNode } from 'execa';
import { JailThread } from 'jailthread';
import OptionsEcho from './fixtures/options-echo.js';
import { allGoneWithin, fixture, hostScript, startedWarm, within, workers, workersOfEachTest } from './helpers.js';

describe('spares: warm starts from pre-started children', () => {
  const options = { env: { JAILTHREAD_TEST_VAR: 'spare' } };
  // A replacement forked for a start is still starting when its test ends; a
  // spare still starting at the next test's prewarm() would join that pool.
  const mine = workersOfEachTest(() => JailThread.prewarm(0, options));

  it('start() adopts a ready spare, and a replacement is forked for the next start', async () => {
    await JailThread.prewarm(1, options);
    const first = new OptionsEcho({ ...options, sleeptime: 60_000 });
    expect(await startedWarm(first)).to.equal(true);
    // Forked by the library a turn after the start; prewarm(1) below only waits for it to be ready.
    // (A started thread's process is titled with its name, so only spares show as worker entries.)
    const spares = () => mine().filter((pid) => pid !== first.ident);
    expect(await within(() => spares().length === 1, 5_000), 'a replacement forked').to.equal(true);
    const [replacement] = spares();
    await JailThread.prewarm(1, options);
    const second = new OptionsEcho({ ...options, sleeptime: 60_000 });
    expect(await startedWarm(second)).to.equal(true);
    expect(second.ident).to.not.equal(first.ident);
    expect(second.ident).to.equal(replacement);
    expect((await second.getStatus()) as object).to.include({ env: 'spare' });
    await Promise.all([first.stop(), second.stop()]);
  });

  it('a start whose process options differ from the spares’ forks cold', async () => {
    await JailThread.prewarm(1, options);
    const other = new OptionsEcho({ env: { JAILTHREAD_TEST_VAR: 'cold' } });
    expect(await startedWarm(other)).to.equal(false);
    await other.stop();
  });

  it('a spare serves one thread: two starts with one spare get two processes', async () => {
    await JailThread.prewarm(1, options);
    const [a, b] = [new OptionsEcho(options), new OptionsEcho(options)];
    const warm = await Promise.all([startedWarm(a), startedWarm(b)]);
    expect(warm.sort()).to.deep.equal([false, true]);
    expect(a.ident).to.not.equal(b.ident);
    await Promise.all([a.stop(), b.stop()]);
  });

  it('prewarm(0) ends the spares of those options', async () => {
    const before = workers();
    await JailThread.prewarm(2, options);
    const spares = workers().filter((pid) => !before.includes(pid));
    expect(spares).to.have.length(2);
    await JailThread.prewarm(0, options);
    expect(await allGoneWithin(spares, 5_000)).to.equal(true);
  });

  it('a spare still starting when prewarm(0) comes is ended at once, and the waiting prewarm() resolves', async () => {
    const stuck = { execArgv: ['--import', fixture('never-ready').href] };
    const filling = JailThread.prewarm(1, stuck);
    expect(await within(() => mine().length === 1, 5_000), 'the spare forked').to.equal(true);
    const spare = mine();
    await JailThread.prewarm(0, stuck);
    await filling;
    // It would be ready in 60 s; it is gone well before.
    expect(await allGoneWithin(spare, 5_000)).to.equal(true);
  });

  it('spares do not keep the host alive, and end with it', async () => {
    const host = await execaNode(hostScript('spares'));
    const children = JSON.parse(host.stdout) as number[];
    expect(children.length, 'two spares and the watcher').to.equal(3);
    expect(await allGoneWithin(children, 1_000)).to.equal(true);
  });

  it('a count that is not a whole number >= 0 is a RangeError', async () => {
    for (const count of [-1, 1.5, Number.NaN]) {
      const error = await JailThread.prewarm(count).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(RangeError);
    }
  });
});
