import { expect } from 'chai';
import { inPool, nextSpare, type SpareEvent, type SpareState } from '../src/host/process-wide/spare-life.js';

const STATES: SpareState[] = ['starting', 'ready', 'taken', 'dismissed', 'gone'];

// Pure: a spare's life, one value moved by four events.
describe("spare life: a spare's one state value", () => {
  const walk = (events: SpareEvent[], from: SpareState = 'starting'): SpareState[] => {
    let state = from;
    return events.map((event) => {
      state = nextSpare(state, event);
      return state;
    });
  };

  it('starting → ready → taken, and a taken spare is its thread’s: nothing the pool sees moves it', () => {
    expect(walk(['ready', 'take', 'dismiss', 'exit', 'ready'])).to.deep.equal([
      'ready',
      'taken',
      'taken',
      'taken',
      'taken',
    ]);
  });

  it('only a ready spare can be taken: not one starting, dismissed or gone', () => {
    expect(walk(['take'])).to.deep.equal(['starting']);
    expect(walk(['dismiss', 'take', 'ready'], 'ready')).to.deep.equal(['dismissed', 'dismissed', 'dismissed']);
    expect(walk(['exit', 'take', 'ready'], 'ready')).to.deep.equal(['gone', 'gone', 'gone']);
  });

  it('a dismissed spare is gone at its exit; gone is final', () => {
    expect(walk(['dismiss', 'exit', 'ready', 'take', 'dismiss'])).to.deep.equal([
      'dismissed',
      'gone',
      'gone',
      'gone',
      'gone',
    ]);
  });

  it('the pool counts and ends only its starting and ready spares', () => {
    expect(STATES.filter(inPool)).to.deep.equal(['starting', 'ready']);
  });
});
