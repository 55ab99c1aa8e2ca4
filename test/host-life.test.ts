import { expect } from 'chai';
import { beforeRun, type LifeEvent, type LifeState, nextLife, stopRequested, ThreadLife } from '../src/host/life.js';

const STATES: LifeState[] = ['new', 'forking', 'starting', 'running', 'cancelling', 'stopping', 'exited'];

// Pure: a thread's life as the host sees it, one value moved by five events.
describe("host life: a thread's one state value", () => {
  const walk = (events: LifeEvent[]): LifeState[] => {
    let state: LifeState = 'new';
    return events.map((event) => {
      state = nextLife(state, event);
      return state;
    });
  };

  it('new → forking → starting → running → stopping → exited', () => {
    expect(walk(['start', 'forked', 'started', 'stop', 'exit'])).to.deep.equal([
      'forking',
      'starting',
      'running',
      'stopping',
      'exited',
    ]);
  });

  it('a stop before run() begins is cancelling, before or after the fork; the start can still win', () => {
    expect(walk(['start', 'forked', 'stop', 'started', 'exit'])).to.deep.equal([
      'forking',
      'starting',
      'cancelling',
      'stopping',
      'exited',
    ]);
    expect(walk(['start', 'stop', 'forked', 'exit'])).to.deep.equal(['forking', 'cancelling', 'cancelling', 'exited']);
  });

  it('only start() leaves new; a fork that fails ends the life', () => {
    expect(walk(['stop', 'started', 'exit', 'forked'])).to.deep.equal(['new', 'new', 'new', 'new']);
    expect(walk(['start', 'exit'])).to.deep.equal(['forking', 'exited']);
  });

  it('exited is final: nothing brings a thread back', () => {
    expect(walk(['start', 'exit', 'start', 'forked', 'started', 'stop'])).to.deep.equal([
      'forking',
      'exited',
      'exited',
      'exited',
      'exited',
      'exited',
    ]);
  });

  it('an exit is a failed start only before run() began', () => {
    expect(STATES.filter(beforeRun)).to.deep.equal(['forking', 'starting', 'cancelling']);
  });

  it('the child can make the thread active again only until the host asks it to stop', () => {
    expect(STATES.filter(stopRequested)).to.deep.equal(['cancelling', 'stopping']);
  });
});

describe('host life: the one setter', () => {
  it('tells each change once, and settles the waits on the exit', async () => {
    const seen: string[] = [];
    const life = new ThreadLife((state, was) => seen.push(`${was}→${state}`));
    const late = life.exitWithin(60_000);
    life.advance('start');
    life.advance('stop');
    life.advance('stop');
    life.advance('exit');
    expect(seen).to.deep.equal(['new→forking', 'forking→cancelling', 'cancelling→exited']);
    expect(await late).to.equal(true);
    await life.exit;
    expect(await life.exitWithin(60_000)).to.equal(true);
  });

  it('a wait on the exit with a time limit ends at that limit while the thread lives', async () => {
    const life = new ThreadLife();
    life.advance('start');
    expect(await life.exitWithin(1)).to.equal(false);
  });
});
