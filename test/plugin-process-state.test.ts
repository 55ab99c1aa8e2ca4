import { expect } from 'chai';
import type { ThreadPort } from '../src/host/port.js';
import { PluginProcess } from '../src/supervisor/life.js';

/** A port that records what the process asks of it, and whose start and exit the test settles. */
function fakePort() {
  const calls: string[] = [];
  let start!: { resolve(): void; reject(error: Error): void };
  let exit!: () => void;
  const exited = new Promise<void>((resolve) => {
    exit = resolve;
  });
  const port = {
    start: () =>
      new Promise<void>((resolve, reject) => {
        start = { resolve, reject };
      }),
    exited,
    signal: (signal: string) => calls.push(signal),
    stop: async (timeout: number) => {
      calls.push(`stop ${timeout}`);
      await exited;
      return { forced: false, exitCode: 0, signalCode: null };
    },
    join: () => exited,
  };
  return { port: port as unknown as ThreadPort, calls, start: () => start, exit: () => exit() };
}

// A plugin's process as its supervisor sees it: one value, ended in one place.
describe("plugin process: a process's one state value", () => {
  it('starting → running → ending → ended, and the exit of a process that ran is told once', async () => {
    const fake = fakePort();
    const exits: PluginProcess[] = [];
    const process = new PluginProcess(fake.port, { module: 'file:///p.js' }, (ended) => exits.push(ended));
    expect(process.state).to.equal('starting');
    fake.start().resolve();
    expect(await process.started).to.equal(true);
    let healthStopped = false;
    process.running(() => {
      healthStopped = true;
    });
    expect(process.state).to.equal('running');
    expect(process.startedAt).to.be.a('number');
    const ending = process.end({ by: 'operation' }, 25);
    expect(process.state).to.equal('ending');
    expect(process.owned).to.equal(true);
    fake.exit();
    await ending;
    expect(exits).to.deep.equal([process]);
    expect(process.ended()).to.equal(true);
    expect(process.ended()).to.equal(false);
    expect(process.state).to.equal('ended');
    expect(healthStopped).to.equal(true);
    expect(fake.calls).to.deep.equal(['stop 25']);
  });

  it('a failed start is not an exit to tell: the launcher handles it, with the error', async () => {
    const fake = fakePort();
    const exits: PluginProcess[] = [];
    const process = new PluginProcess(fake.port, { module: 'file:///p.js' }, (ended) => exits.push(ended));
    fake.start().reject(new Error('no such module'));
    expect(await process.started).to.equal(false);
    expect(process.startError?.message).to.equal('no such module');
    fake.exit();
    await fake.port.exited;
    expect(exits).to.deep.equal([]);
  });

  it('the health watch ends it through the same place: unresponsive is killed, over the limit is stopped', async () => {
    const unresponsive = fakePort();
    const a = new PluginProcess(unresponsive.port, { module: 'file:///a.js' }, () => undefined);
    void a.end({ by: 'health', reason: 'unresponsive', crash: true }, 50);
    expect(unresponsive.calls).to.deep.equal(['SIGKILL']);
    expect(a.health).to.deep.equal({ reason: 'unresponsive', crash: true });
    expect(a.owned).to.equal(false);
    const hog = fakePort();
    const b = new PluginProcess(hog.port, { module: 'file:///b.js' }, () => undefined);
    void b.end({ by: 'health', reason: 'rss limit', crash: false }, 50);
    expect(hog.calls).to.deep.equal(['stop 50']);
    unresponsive.exit();
    hog.exit();
  });

  it('the first health ending is kept; an operation after it owns the state; nothing moves an ended process', async () => {
    const fake = fakePort();
    const process = new PluginProcess(fake.port, { module: 'file:///p.js' }, () => undefined);
    void process.end({ by: 'health', reason: 'rss limit', crash: false }, 10);
    void process.end({ by: 'health', reason: 'unresponsive', crash: true }, 10);
    expect(process.health).to.deep.equal({ reason: 'rss limit', crash: false });
    void process.end({ by: 'operation' }, 10);
    expect(process.owned).to.equal(true);
    fake.exit();
    process.ended();
    await process.end({ by: 'operation' }, 10);
    process.running(() => undefined);
    expect(process.state).to.equal('ended');
  });
});
