import { expect } from 'chai';
import {
  active_count,
  activeCount,
  current_thread,
  currentThread,
  enumerate,
  get_ident,
  getIdent,
  MainThread,
  main_thread,
  mainThread,
} from 'jailthread';
import CtorThrows from './fixtures/ctor-throws.js';
import Ticker from './fixtures/ticker.js';
import WhoAmI from './fixtures/who-am-i.js';
import { track } from './helpers.js';

describe("the seed's module functions", () => {
  it('on the host: enumerate() lists the started threads until their exit is seen, activeCount() counts them', async () => {
    const before = enumerate();
    const idle = new Ticker({ sleeptime: 60_000 });
    const a = track(new Ticker({ sleeptime: 60_000 }));
    const b = track(new Ticker({ sleeptime: 60_000 }));
    await a.start();
    await b.start();
    expect(enumerate().filter((thread) => !before.includes(thread))).to.deep.equal([a, b]);
    expect(enumerate()).not.to.include(idle);
    expect(activeCount()).to.equal(before.length + 2);
    expect(active_count()).to.equal(activeCount());
    await a.stop();
    expect(enumerate()).not.to.include(a);
    expect(enumerate()).to.include(b);
    await b.stop();
    expect(enumerate()).to.deep.equal(before);
  });

  it('a thread whose start fails leaves the list, and a second start() does not list it twice', async () => {
    const failing = track(new CtorThrows());
    const starting = failing.start();
    expect(enumerate(), 'listed from start() on').to.include(failing);
    await starting.then(
      () => expect.fail('the constructor throws in the child'),
      (error: Error) => expect(error.name).to.equal('ThreadStartError'),
    );
    expect(enumerate()).not.to.include(failing);
    const thread = track(new Ticker({ sleeptime: 60_000 }));
    await thread.start();
    await thread.start().then(
      () => expect.fail('a second start() must reject'),
      (error: Error) => expect(error.name).to.equal('ThreadStateError'),
    );
    expect(enumerate().filter((listed) => listed === thread)).to.have.length(1);
    await thread.stop();
    expect(enumerate()).not.to.include(thread);
  });

  it("on the host: currentThread() and mainThread() are the MainThread, ident the host's PID", () => {
    const main = currentThread();
    expect(main).to.be.instanceOf(MainThread);
    expect(main).to.equal(mainThread());
    expect(main_thread()).to.equal(main);
    expect(current_thread()).to.equal(main);
    expect([main.name, main.ident, main.pid, main.daemon, main.isAlive()]).to.deep.equal([
      'MainThread',
      process.pid,
      process.pid,
      false,
      true,
    ]);
    expect(Object.isFrozen(main)).to.equal(true);
    expect([getIdent(), get_ident()]).to.deep.equal([process.pid, process.pid]);
  });

  it('in the child: currentThread() is the thread whose run() it runs, and enumerate() lists it alone', async () => {
    const thread = track(new WhoAmI());
    await thread.start();
    expect(await thread.getStatus()).to.deep.equal({
      currentIsThis: true,
      enumerated: [true],
      activeCount: 1,
      ident: thread.ident,
      main: { name: 'MainThread', ident: thread.ident },
    });
    await thread.stop();
  });
});
