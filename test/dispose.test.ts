import { expect } from 'chai';
import { type JailThread, PluginHost } from 'jailthread';
import { calcContract } from './fixtures/plugins/calc-contract.js';
import Ticker from './fixtures/ticker.js';
import { fixture, isGone, track, trackHost } from './helpers.js';

describe('await using: Symbol.asyncDispose', () => {
  it('a thread is stopped and joined as its block ends, on every Node line (Node 20 names the symbol nodejs.asyncDispose)', async () => {
    let thread: JailThread | undefined;
    {
      await using ticker = track(new Ticker({ sleeptime: 60_000 }));
      thread = ticker;
      await ticker.start();
      expect(ticker.isAlive()).to.equal(true);
    }
    expect([thread.isAlive(), isGone(thread.ident as number)]).to.deep.equal([false, true]);
  });

  it('a thread never started, or already exited, is disposed of without error', async () => {
    const ticker = new Ticker();
    await ticker[Symbol.asyncDispose]();
    const started = track(new Ticker({ sleeptime: 60_000 }));
    await started.start();
    await started.stop();
    await started[Symbol.asyncDispose]();
    expect(started.isAlive()).to.equal(false);
  });

  it('a plugin host is stopped as its block ends', async () => {
    let pid: number | null | undefined;
    {
      await using host = trackHost(new PluginHost()).add({
        name: 'calc',
        module: fixture('plugins/calculator'),
        contract: calcContract,
        serve: { lookup: ({ key }) => key },
        sandbox: false,
      });
      await host.start();
      [{ pid }] = await host.status().then((rows) => rows.map((row) => ({ pid: row.pid })));
      expect(pid).to.be.a('number');
    }
    expect(isGone(pid as number)).to.equal(true);
  });
});
