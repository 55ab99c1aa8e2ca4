import { expect } from 'chai';
import { JailThread } from 'jailthread';
import OptionsEcho from './fixtures/options-echo.js';
import PreloadThrows from './fixtures/preload-throws.js';
import Preloaded from './fixtures/preloaded.js';
import { isGone, track, within, workersOfEachTest } from './helpers.js';

const now = () => performance.timeOrigin + performance.now();

/** Starts a thread: whether its process, and its module, were there before start() was called. */
async function startedWith(thread: Preloaded): Promise<{ warm: boolean; preloaded: boolean }> {
  const called = now();
  await track(thread).start();
  const { loaded, origin } = await thread.getStatus();
  return { warm: origin < called, preloaded: loaded < called };
}

describe('spares that preload a class’s module (Subclass.prewarm())', () => {
  const options = { env: { JAILTHREAD_TEST_VAR: 'preload' } };
  const mine = workersOfEachTest(() =>
    Promise.all([Preloaded, PreloadThrows, JailThread].map((Class) => Class.prewarm(0, options))),
  );

  it('start() adopts a spare that imported the module before it was ready, and the replacement does too', async () => {
    await Preloaded.prewarm(1, options);
    const first = new Preloaded({ ...options, sleeptime: 60_000 });
    expect(await startedWith(first)).to.deep.equal({ warm: true, preloaded: true });
    // The replacement is forked a turn after the start; prewarm(1) waits for it to be ready. (A started
    // thread's process is titled with its name, so only spares show as worker entries.)
    expect(await within(() => mine().length === 1, 5_000), 'a replacement forked').to.equal(true);
    await Preloaded.prewarm(1, options);
    const second = new Preloaded({ ...options, sleeptime: 60_000 });
    expect(await startedWith(second)).to.deep.equal({ warm: true, preloaded: true });
    await Promise.all([first.stop(), second.stop()]);
  });

  it('JailThread.prewarm() stays generic: its spare imports the module only when a thread adopts it', async () => {
    await JailThread.prewarm(1, options);
    const thread = new Preloaded(options);
    expect(await startedWith(thread)).to.deep.equal({ warm: true, preloaded: false });
    await thread.stop();
  });

  it('a preloaded spare serves only threads of its module: another class forks cold', async () => {
    await Preloaded.prewarm(1, options);
    const [spare] = mine();
    const other = track(new OptionsEcho(options));
    const called = now();
    await other.start();
    const { origin } = (await other.getStatus()) as { origin: number };
    expect(origin).to.be.above(called);
    expect(other.ident).to.not.equal(spare);
    expect(mine()).to.include(spare);
    await other.stop();
  });

  it('a preloaded spare killed just before adoption is not the start’s failure: the start forks cold', async () => {
    await Preloaded.prewarm(1, options);
    const [spare] = mine();
    // Killed in the same turn as start(): the host has not seen its exit when the start takes it.
    process.kill(spare as number, 'SIGKILL');
    const thread = new Preloaded(options);
    expect(await startedWith(thread)).to.deep.equal({ warm: false, preloaded: false });
    expect(thread.ident).to.not.equal(spare);
    expect(isGone(spare as number)).to.equal(true);
    expect(await thread.stop()).to.include({ forced: false, exitCode: 0 });
  });

  it('a subclass without `static module` cannot preload: prewarm() rejects naming the fix', async () => {
    class Nowhere extends JailThread {}
    const error = (await Nowhere.prewarm(1, options).catch((e: unknown) => e)) as Error;
    expect(error).to.be.instanceOf(TypeError);
    expect(error.message).to.match(/^Nowhere\.prewarm\(\): .*static override readonly module = import\.meta\.url/);
  });

  it('a module that throws as the spare imports it: prewarm() rejects with what the spare wrote to stderr', async () => {
    const error = (await PreloadThrows.prewarm(1, options).catch((e: unknown) => e)) as Error;
    expect(error.message).to.match(/^JailThread\.prewarm\(\): a spare child ended before it was ready \(pid \d+\)/);
    expect(error.message).to.contain('preload-throws refuses to load in a child');
  });
});
