import { expect } from 'chai';
import { beforeRun, type LifeEvent, type LifeState, nextLife, stopRequested } from '../src/host/life.js';

// Pure: a thread's life as the host sees it, one value moved by three events.
describe("host life: a thread's one state value", () => {
  const walk = (events: LifeEvent[]): LifeState[] => {
    let state: LifeState = 'starting';
    return events.map((event) => {
      state = nextLife(state, event);
      return state;
    });
  };

  it('starting → running → stopping → exited', () => {
    expect(walk(['started', 'stop', 'exit'])).to.deep.equal(['running', 'stopping', 'exited']);
  });

  it('a stop before run() begins is cancelling; the start can still win, and the thread is then stopping', () => {
    expect(walk(['stop', 'started', 'exit'])).to.deep.equal(['cancelling', 'stopping', 'exited']);
    expect(walk(['stop', 'exit'])).to.deep.equal(['cancelling', 'exited']);
  });

  it('exited is final: nothing brings a thread back', () => {
    expect(walk(['exit', 'started', 'stop', 'exit'])).to.deep.equal(['exited', 'exited', 'exited', 'exited']);
  });

  it('an exit is a failed start only before run() began', () => {
    const states: LifeState[] = ['starting', 'running', 'cancelling', 'stopping', 'exited'];
    expect(states.filter(beforeRun)).to.deep.equal(['starting', 'cancelling']);
  });

  it('the child can make the thread active again only until the host asks it to stop', () => {
    const states: LifeState[] = ['starting', 'running', 'cancelling', 'stopping', 'exited'];
    expect(states.filter(stopRequested)).to.deep.equal(['cancelling', 'stopping']);
  });
});
