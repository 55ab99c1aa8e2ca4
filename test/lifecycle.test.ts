import { once } from 'node:events';
import { expect } from 'chai';
import { JailThread, ThreadStateError } from 'jailthread';
import Exits from './fixtures/exits.js';
import HoldsHandle from './fixtures/holds-handle.js';
import IgnoresStop from './fixtures/ignores-stop.js';
import Ticker from './fixtures/ticker.js';
import { isGone, track } from './helpers.js';

describe('lifecycle: start, stop, join, isAlive', () => {
  it('start() resolves once run() has begun, and sets active', async () => {
    const thread = track(new Ticker({ sleeptime: 60_000 }));
    expect(thread.active).to.equal(null);
    expect(thread.isAlive()).to.equal(false);
    const starting = thread.start();
    expect(thread.isAlive(), 'alive from the call on').to.equal(true);
    expect(thread.active).to.equal(true);
    await starting;
    expect(thread.ident).to.be.a('number');
    expect(await thread.getStatus()).to.deep.equal({ ticks: 1 });
    await thread.stop();
  });

  it('a second start() rejects with ThreadStateError, before and after exit', async () => {
    const thread = track(new Ticker({ sleeptime: 60_000 }));
    await thread.start();
    const again = await thread.start().catch((error: unknown) => error);
    expect(again).to.be.instanceOf(ThreadStateError);
    expect((again as ThreadStateError).code).to.equal('ERR_THREAD_STATE');
    expect((again as Error).message).to.match(/threads can only be started once/);
    await thread.stop();
    expect(await thread.start().catch((error: unknown) => error)).to.be.instanceOf(ThreadStateError);
  });

  it('stop() wakes a thread asleep for 60 s and resolves unforced at exit', async () => {
    const thread = track(new Ticker({ sleeptime: 60_000, stopTimeout: 60_000 }));
    await thread.start();
    const result = await thread.stop();
    expect(result).to.deep.equal({ forced: false, exitCode: 0, signalCode: null });
    expect(thread.active).to.equal(false);
    expect(thread.isAlive()).to.equal(false);
    expect(thread.is_alive()).to.equal(false);
    expect(isGone(thread.ident as number)).to.equal(true);
  });

  it('concurrent and repeated stop() calls share one result', async () => {
    const thread = track(new Ticker({ sleeptime: 60_000 }));
    await thread.start();
    const [a, b] = await Promise.all([thread.stop(), thread.stop()]);
    expect(a).to.equal(b);
    expect(await thread.stop()).to.deep.equal(a);
  });

  it('stop() escalates to SIGTERM when run() ignores it, and says it was forced', async () => {
    const thread = track(new IgnoresStop());
    await thread.start();
    const result = await thread.stop({ timeout: 1, grace: 60_000 });
    expect(result).to.deep.equal({ forced: true, exitCode: null, signalCode: 'SIGTERM' });
  });

  it('stop() escalates to SIGKILL when SIGTERM is not enough', async () => {
    const thread = track(
      new IgnoresStop({ execArgv: ['--import', 'data:text/javascript,process.on("SIGTERM",()=>{})'] }),
    );
    await thread.start();
    const result = await thread.stop({ timeout: 1, grace: 1 });
    expect(result).to.deep.equal({ forced: true, exitCode: null, signalCode: 'SIGKILL' });
  });

  it('the child ends when run() returns, whatever handles it still holds', async () => {
    const thread = track(new HoldsHandle());
    await thread.start();
    await thread.join();
    expect(thread.exitCode).to.equal(0);
    expect(await thread.getStatus()).to.equal('final');
  });

  it('join(timeout) returns with the thread still alive when the timeout comes first', async () => {
    const thread = track(new Ticker({ sleeptime: 60_000 }));
    await thread.start();
    await thread.join(1);
    expect(thread.isAlive()).to.equal(true);
    await thread.join(-5);
    expect(thread.isAlive(), 'a negative timeout counts as 0').to.equal(true);
    await thread.stop();
  });

  it('any number of concurrent joins resolve at exit, and join after exit resolves at once', async () => {
    const thread = track(new Ticker({ sleeptime: 60_000 }));
    await thread.start();
    const joins = [thread.join(), thread.join(60_000), thread.join()];
    void thread.stop();
    expect(await Promise.all(joins)).to.deep.equal([undefined, undefined, undefined]);
    expect(thread.isAlive()).to.equal(false);
    await thread.join();
    await thread.join(0);
  });

  it('join() and stop() before start() reject with ThreadStateError', async () => {
    const thread = new Ticker();
    for (const call of [() => thread.join(), () => thread.stop(), () => thread.getStatus(), () => thread.send(1)]) {
      const error = await call().catch((e: unknown) => e);
      expect(error).to.be.instanceOf(ThreadStateError);
      expect((error as Error).message).to.match(/has not been started; call start\(\) first/);
    }
    expect(() => thread.kill()).to.throw(ThreadStateError);
  });

  it('a child that calls process.exit(3) is seen with exitCode 3 and an exit event', async () => {
    const thread = track(new Exits());
    const exit = once(thread, 'exit');
    expect(thread.exitCode).to.equal(null);
    await thread.start().catch(() => undefined);
    expect(await exit).to.deep.equal([3, null]);
    expect(thread.exitCode).to.equal(3);
    expect(thread.signalCode).to.equal(null);
    expect(thread.isAlive()).to.equal(false);
  });

  it('kill() ends the child with SIGKILL, terminate() with SIGTERM', async () => {
    const killed = track(new Ticker({ sleeptime: 60_000 }));
    const terminated = track(new Ticker({ sleeptime: 60_000 }));
    await Promise.all([killed.start(), terminated.start()]);
    killed.kill();
    terminated.terminate();
    await Promise.all([killed.join(), terminated.join()]);
    expect([killed.exitCode, killed.signalCode]).to.deep.equal([null, 'SIGKILL']);
    expect([terminated.exitCode, terminated.signalCode]).to.deep.equal([null, 'SIGTERM']);
    expect(killed.active).to.equal(false);
    killed.kill();
    terminated.terminate();
  });

  it('ident is undefined before start, the PID after, kept after exit; pid is its alias', async () => {
    const thread = track(new Ticker({ sleeptime: 60_000 }));
    expect(thread.ident).to.equal(undefined);
    await thread.start();
    const pid = thread.ident as number;
    expect(pid).to.be.a('number').and.not.equal(process.pid);
    expect(thread.pid).to.equal(pid);
    expect(isGone(pid)).to.equal(false);
    await thread.stop();
    expect(thread.ident).to.equal(pid);
  });

  it('50 threads start and stop together and leave no process behind', async () => {
    const threads = Array.from({ length: 50 }, () => track(new Ticker({ sleeptime: 60_000 })));
    await Promise.all(threads.map((thread) => thread.start()));
    const pids = threads.map((thread) => thread.ident as number);
    expect(new Set(pids).size).to.equal(50);
    const results = await Promise.all(threads.map((thread) => thread.stop()));
    expect(results.every((result) => !result.forced && result.exitCode === 0)).to.equal(true);
    expect(pids.filter((pid) => !isGone(pid))).to.deep.equal([]);
  });

  it('a plain JailThread or a subclass without static module rejects start() without forking', async () => {
    class Nowhere extends JailThread {}
    for (const thread of [new JailThread({ name: 'plain' }), new Nowhere({ name: 'nowhere' })]) {
      const error = (await thread.start().catch((e: unknown) => e)) as Error;
      expect(error.name).to.equal('ThreadStartError');
      expect(error.message).to.match(/static override readonly module = import\.meta\.url|subclass it/);
      expect(thread.ident).to.equal(undefined);
      expect(thread.isAlive()).to.equal(false);
    }
  });
});
