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
  PluginHost,
  PluginThread,
} from 'jailthread';
import CtorThrows from './fixtures/ctor-throws.js';
import { calcContract } from './fixtures/plugins/calc-contract.js';
import Ticker from './fixtures/ticker.js';
import WhoAmI from './fixtures/who-am-i.js';
import { fixture, track, trackHost } from './helpers.js';

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

  it("on the host: enumerate() lists a plugin's process as a read-only PluginThread, anew after a restart", async () => {
    const before = enumerate();
    const host = trackHost(new PluginHost()).add({
      name: 'calc',
      module: fixture('plugins/calculator'),
      contract: calcContract,
      serve: { lookup: ({ key }) => key },
      sandbox: false,
    });
    await host.start();
    const listed = () => enumerate().filter((thread) => !before.includes(thread));
    const [first] = listed();
    expect(first).to.be.instanceOf(PluginThread);
    expect(first?.name).to.equal('calc');
    expect(first?.ident).to.equal((await host.status())[0]?.pid);
    expect(first?.isAlive()).to.equal(true);
    await host.restart('calc');
    const [second] = listed();
    expect(listed()).to.have.length(1);
    expect(second).to.not.equal(first);
    expect(second?.ident).to.equal((await host.status())[0]?.pid);
    expect(first?.is_alive(), 'the first process is gone').to.equal(false);
    await host.stop();
    expect(listed()).to.deep.equal([]);
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
