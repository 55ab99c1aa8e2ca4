import { expect } from 'chai';
import { FrameOrder } from '../src/child/frame-order.js';

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
    check: (raw) => {
      const frame = raw as Init | Control;
      if (typeof frame.n !== 'number') {
        log.push(`bad ${frame.t}`);
        return undefined;
      }
      return frame;
    },
    boot: (init) => log.push(`boot ${init.n}`),
    dispatch: (frame) => log.push(`${frame.t} ${frame.n}`),
    secondInit: () => log.push('second init'),
  });
  const start = () => log.push('run()');
  const isSet = (frame: Control) => frame.t === 'set';
  return { log, frames, start, isSet };
}

describe('frame order: waiting-init → booting → running', () => {
  it('frames before run() wait: state changes reach the thread before it, the rest right after, each in order', () => {
    const { log, frames, start, isSet } = order();
    frames.receive({ t: 'msg', n: 1 });
    expect(frames.phase).to.equal('waiting-init');
    frames.receive({ t: 'init', n: 0 });
    expect(frames.phase).to.equal('booting');
    frames.receive({ t: 'set', n: 2 });
    frames.receive({ t: 'init', n: 9 });
    frames.receive({ t: 'msg' });
    frames.receive({ t: 'request', n: 3 });
    // Checked as they come: the second init and the bad frame are reported at once.
    expect(log).to.deep.equal(['boot 0', 'second init', 'bad msg']);
    frames.begin(start, isSet);
    expect(frames.phase).to.equal('running');
    expect(log.slice(3)).to.deep.equal(['set 2', 'run()', 'msg 1', 'request 3']);
  });

  it('once running, frames go straight to the thread', () => {
    const { log, frames, start, isSet } = order();
    frames.receive({ t: 'init', n: 0 });
    frames.begin(start, isSet);
    frames.receive({ t: 'msg', n: 1 });
    frames.receive({ t: 'set', n: 2 });
    frames.receive({ t: 'init', n: 5 });
    expect(log).to.deep.equal(['boot 0', 'run()', 'msg 1', 'set 2', 'second init']);
  });

  it('an init frame that does not fit is reported and the child goes on waiting for one that does', () => {
    const { log, frames } = order();
    frames.receive({ t: 'init' });
    expect(frames.phase).to.equal('waiting-init');
    frames.receive({ t: 'init', n: 1 });
    expect(log).to.deep.equal(['bad init', 'boot 1']);
  });
});
