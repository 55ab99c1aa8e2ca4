import { expect } from 'chai';
import { type CheckFrame, FrameOrder } from '../src/child/frame-order.js';

// Pure: the order in which a child handles the host's frames, without a process.
interface Init {
  t: 'init';
  n: number;
}
interface Control {
  t: 'set' | 'msg' | 'request';
  n: number;
}

function order() {
  const log: string[] = [];
  const frames = new FrameOrder<Init, Control>({
    checkInit: (raw) => {
      const init = raw as Init;
      if (typeof init.n !== 'number') {
        log.push('bad init');
        return undefined;
      }
      log.push(`init-schema ${init.n}`);
      return init;
    },
    boot: (init) => log.push(`boot ${init.n}`),
    dispatch: (frame) => log.push(`${frame.t} ${frame.n}`),
    secondInit: () => log.push('second init'),
  });
  const check: CheckFrame<Init, Control> = (raw) => {
    const frame = raw as Init | Control;
    if (typeof frame.n !== 'number') {
      log.push('bad frame');
      return undefined;
    }
    return frame;
  };
  const start = () => log.push('run()');
  const isSet = (frame: Control) => frame.t === 'set';
  return { log, frames, check, start, isSet };
}

describe('frame order: waiting-init → booting → running', () => {
  it('a cold start checks only the init frame; the rest waits, unchecked, for the schema', () => {
    const { log, frames, check, start, isSet } = order();
    frames.receive({ t: 'msg', n: 1 });
    expect(frames.phase).to.equal('waiting-init');
    frames.receive({ t: 'init', n: 0 });
    expect(frames.phase).to.equal('booting');
    frames.receive({ t: 'set', n: 2 });
    frames.receive({ t: 'init', n: 9 });
    frames.receive({ t: 'msg' });
    expect(log).to.deep.equal(['init-schema 0', 'boot 0']);
    expect(frames.waitsForSchema).to.equal(true);
    frames.loaded(check);
    expect(frames.waitsForSchema).to.equal(false);
    // Checked in the order they came: the second init and the bad frame are reported now.
    expect(log.slice(2)).to.deep.equal(['second init', 'bad frame']);
    frames.begin(start, isSet);
    expect(frames.phase).to.equal('running');
    // State changes before run(), the rest right after it is called, each in arrival order.
    expect(log.slice(4)).to.deep.equal(['set 2', 'run()', 'msg 1']);
  });

  it('once running, frames go straight to the thread; without a schema yet, in order once it loads', () => {
    const { log, frames, check, start, isSet } = order();
    frames.receive({ t: 'init', n: 0 });
    frames.begin(start, isSet);
    frames.receive({ t: 'msg', n: 1 });
    frames.receive({ t: 'set', n: 2 });
    expect(log).to.deep.equal(['init-schema 0', 'boot 0', 'run()']);
    frames.loaded(check);
    frames.receive({ t: 'request', n: 3 });
    expect(log.slice(3)).to.deep.equal(['msg 1', 'set 2', 'request 3']);
  });

  it('with the schema loaded first (a spare), frames are checked as they come and early ones wait for run()', () => {
    const { log, frames, check, start, isSet } = order();
    frames.loaded(check);
    frames.receive({ t: 'msg' });
    frames.receive({ t: 'request', n: 1 });
    frames.receive({ t: 'init', n: 0 });
    frames.receive({ t: 'set', n: 2 });
    frames.receive({ t: 'init', n: 5 });
    expect(log).to.deep.equal(['bad frame', 'boot 0', 'second init']);
    expect(frames.waitsForSchema).to.equal(false);
    frames.begin(start, isSet);
    expect(log.slice(3)).to.deep.equal(['set 2', 'run()', 'request 1']);
  });

  it('an init frame that does not fit is reported and the child goes on waiting for one that does', () => {
    const { log, frames } = order();
    frames.receive({ t: 'init' });
    expect(frames.phase).to.equal('waiting-init');
    frames.receive({ t: 'init', n: 1 });
    expect(log).to.deep.equal(['bad init', 'init-schema 1', 'boot 1']);
  });

  it('frames still unchecked when run() is called stay queued for the schema', () => {
    const { log, frames, check, start, isSet } = order();
    frames.receive({ t: 'init', n: 0 });
    frames.receive({ t: 'msg', n: 1 });
    frames.begin(start, isSet);
    expect(log).to.deep.equal(['init-schema 0', 'boot 0', 'run()']);
    frames.loaded(check);
    expect(log.slice(3)).to.deep.equal(['msg 1']);
  });
});
