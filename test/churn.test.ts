import { readdirSync } from 'node:fs';
import { expect } from 'chai';
import Ticker from './fixtures/ticker.js';
import { isGone, parentOf, track } from './helpers.js';

const openFds = () => readdirSync('/proc/self/fd').length;
const listeners = () =>
  [process, process.stdout, process.stderr].reduce(
    (sum, emitter) => sum + emitter.eventNames().reduce((n, name) => n + emitter.listenerCount(name), 0),
    0,
  );

describe('churn: threads started and stopped in bulk', () => {
  it('50 threads × 4 rounds: no process left, no fd or listener growth, no warning', async function () {
    // Four rounds, not twenty: the checks below are exact (one fd or listener more fails them), so a leak
    // shows in any round; twenty took 140 s of the suite's run here.
    this.timeout(120_000);
    // A first round loads what later rounds reuse (the host side of the library, the watcher).
    const warm = track(new Ticker({ sleeptime: 60_000 }));
    await warm.start();
    await warm.stop();
    const fds = openFds();
    const listening = listeners();
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    const pids: number[] = [];
    for (let round = 0; round < 4; round++) {
      const threads = Array.from({ length: 50 }, () => track(new Ticker({ sleeptime: 60_000 })));
      await Promise.all(threads.map((thread) => thread.start()));
      const live = threads.map((thread) => thread.ident as number);
      expect(new Set(live).size, `round ${round}: idents unique among live threads`).to.equal(50);
      pids.push(...live);
      const results = await Promise.all(threads.map((thread) => thread.stop()));
      expect(results.filter((result) => result.forced || result.exitCode !== 0)).to.deep.equal([]);
    }
    process.off('warning', onWarning);
    // A PID still alive but no longer this process's child was reused by another process.
    expect(pids.filter((pid) => !isGone(pid) && parentOf(pid) === process.pid)).to.deep.equal([]);
    expect(openFds()).to.equal(fds);
    expect(listeners()).to.equal(listening);
    expect(warnings.map(String)).to.deep.equal([]);
  });
});
