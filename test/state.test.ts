import { expect } from 'chai';
import LoopReporter from './fixtures/loop-reporter.js';
import SelfControl from './fixtures/self-control.js';
import { SlowLoopReporter } from './fixtures/slow-loading.js';
import Ticker from './fixtures/ticker.js';
import { messageWhere, nextMessage, track, within } from './helpers.js';

interface Turn {
  turn: number;
  idle: boolean;
  sleeptime: number;
  name: string;
}

describe('state: active, idle and sleeptime on both sides', () => {
  it('idle and sleeptime set in the host reach the child and wake its 60 s sleep', async () => {
    const thread = track(new LoopReporter({ sleeptime: 60_000 }));
    const first = nextMessage<Turn>(thread);
    await thread.start();
    expect(await first).to.include({ turn: 0, idle: false, sleeptime: 60_000 });
    const second = nextMessage<Turn>(thread);
    thread.idle = true;
    expect(await second).to.include({ turn: 1, idle: true });
    const third = nextMessage<Turn>(thread);
    thread.sleeptime = 59_000;
    expect(await third).to.include({ turn: 2, sleeptime: 59_000 });
    await thread.stop();
  });

  it('a change made while the child is still loading reaches the thread before run() begins', async () => {
    const thread = track(new SlowLoopReporter({ sleeptime: 60_000 }));
    const first = nextMessage<Turn>(thread);
    const started = thread.start();
    // The child exists once ident is known; its module then takes 1 s to load.
    expect(await within(() => thread.ident !== undefined, 5_000)).to.equal(true);
    thread.idle = true;
    await started;
    expect(await first).to.include({ turn: 0, idle: true });
    await thread.stop();
  });

  it('changes the child makes to itself reach the host', async () => {
    const thread = track(new SelfControl());
    await thread.start();
    for (const [command, check] of [
      ['idle', () => expect(thread.idle).to.equal(true)],
      ['sleeptime', () => expect(thread.sleeptime).to.equal(7)],
      ['name', () => expect(thread.name).to.equal('renamed-inside')],
    ] as const) {
      const done = messageWhere(thread, (data) => data === `done:${command}`);
      await thread.send(command);
      await done;
      check();
    }
    const done = messageWhere(thread, (data) => data === 'done:stop');
    await thread.send('stop');
    await done;
    expect(thread.active, 'stop() inside run() sets active false on both sides').to.equal(false);
    await thread.join();
    expect(thread.exitCode).to.equal(0);
  });

  it('setting active to false from the host ends the loop like stop()', async () => {
    const thread = track(new Ticker({ sleeptime: 60_000 }));
    await thread.start();
    thread.active = false;
    await thread.join();
    expect(thread.exitCode).to.equal(0);
  });

  it('invalid values throw TypeError or RangeError at the assignment and change nothing', async () => {
    const thread = track(new Ticker({ sleeptime: 60_000, name: 'strict' }));
    const set = (field: string, value: unknown) => () => {
      (thread as unknown as Record<string, unknown>)[field] = value;
    };
    expect(set('idle', 1)).to.throw(TypeError, /thread\.idle of thread "strict" must be a boolean, got 1 \(number\)/);
    expect(set('sleeptime', '5')).to.throw(TypeError, /sleeptime/);
    expect(set('sleeptime', -1)).to.throw(RangeError, /from 0 to 2147483647 ms/);
    expect(set('sleeptime', Number.POSITIVE_INFINITY)).to.throw(RangeError);
    expect(set('sleeptime', Number.NaN)).to.throw(RangeError);
    expect(set('name', 5)).to.throw(TypeError);
    expect(set('daemon', 'yes')).to.throw(TypeError);
    expect(set('active', true), 'active belongs to start() and stop()').to.throw(/call start\(\) first/);
    await thread.start();
    expect(set('active', 'no')).to.throw(TypeError);
    expect([thread.idle, thread.sleeptime, thread.name, thread.active]).to.deep.equal([false, 60_000, 'strict', true]);
    await thread.stop();
  });

  it('sleep() is refused in the host, where there is no loop to pause', async () => {
    const error = (await new Ticker().sleep(1).catch((e: unknown) => e)) as Error;
    expect(error.name).to.equal('ThreadStateError');
    expect(error.message).to.match(/inside the thread's own process/);
  });
});
