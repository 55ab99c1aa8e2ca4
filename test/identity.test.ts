import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { ThreadStateError } from 'jailthread';
import Nested from './fixtures/nested.js';
import OptionsEcho from './fixtures/options-echo.js';
import Ticker from './fixtures/ticker.js';
import { isGone, nextMessage, track } from './helpers.js';

const cmdline = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8');
// What pgrep and pkill match by default: the title's first 15 bytes.
const comm = (pid: number) => readFileSync(`/proc/${pid}/comm`, 'utf8').trim();

describe('identity: name and daemon', () => {
  it('names default to Thread-N from one counter, and duplicates are allowed', () => {
    const [a, b] = [new Ticker(), new Ticker()];
    const n = Number(a.name.replace('Thread-', ''));
    expect(a.name).to.match(/^Thread-\d+$/);
    expect(b.name).to.equal(`Thread-${n + 1}`);
    const [c, d] = [new Ticker({ name: 'same' }), new Ticker({ name: 'same' })];
    expect([c.name, d.getName()]).to.deep.equal(['same', 'same']);
  });

  it('setName()/name set the name any time, and the child shows it in process.title as "jailthread: NAME"', async () => {
    const thread = track(new OptionsEcho({ name: 'first' }));
    await thread.start();
    expect(cmdline(thread.ident as number)).to.match(/^jailthread: first\0*$/);
    expect(comm(thread.ident as number), 'pgrep first does not match it').to.equal('jailthread: fir');
    thread.setName('second');
    expect(thread.getName()).to.equal('second');
    const status = (await thread.getStatus()) as { name: string; title: string };
    expect([status.name, status.title]).to.deep.equal(['second', 'jailthread: second']);
    expect(cmdline(thread.ident as number)).to.match(/^jailthread: second\0*$/);
    await thread.stop();
    thread.name = 'after-exit';
    expect(thread.name).to.equal('after-exit');
  });

  it('daemon defaults to false in the host and is settable before start only', async () => {
    const thread = track(new Ticker({ sleeptime: 60_000 }));
    expect(thread.daemon).to.equal(false);
    thread.setDaemon(true);
    expect(thread.isDaemon()).to.equal(true);
    thread.daemon = false;
    await thread.start();
    expect(() => {
      thread.daemon = true;
    }).to.throw(ThreadStateError, /set it before start\(\)/);
    await thread.stop();
    expect(() => thread.setDaemon(true)).to.throw(ThreadStateError);
  });

  it('a thread created inside run() inherits the running thread’s daemon flag', async () => {
    for (const daemon of [true, false]) {
      const thread = track(new Nested({ daemon }));
      const report = nextMessage<{ inheritedDaemon: boolean; innerPid: number }>(thread);
      await thread.start();
      const { inheritedDaemon, innerPid } = await report;
      expect(inheritedDaemon).to.equal(daemon);
      expect(isGone(innerPid)).to.equal(false);
      await thread.stop();
      expect(isGone(innerPid), 'the inner thread is stopped with its host').to.equal(true);
    }
  });

  it('the child’s instance sees the name, flags and PID the host has', async () => {
    const thread = track(new OptionsEcho({ name: 'mirror', daemon: true, idle: true, sleeptime: 60_000 }));
    thread.idle = false;
    thread.sleeptime = 12_345;
    await thread.start();
    const status = (await thread.getStatus()) as Record<string, unknown>;
    expect(status).to.include({ name: 'mirror', daemon: true, idle: false, sleeptime: 12_345, alive: true });
    expect(status.ident).to.equal(thread.ident);
    await thread.stop();
  });
});
