import { expect } from 'chai';
import { Ending } from '../src/host/ending.js';

// Pure: the ways a child ends, one recorded as the winner.
describe('host ending: one contender claims how a child ends', () => {
  it('with no contender the exit speaks for itself: exit code, signal, or never spawned', () => {
    expect(new Ending(() => false).exited(3, null)).to.equal('exit');
    expect(new Ending(() => false).exited(null, 'SIGTERM')).to.equal('signal');
    expect(new Ending(() => false).exited(null, null)).to.equal('spawn-failed');
  });

  it('the first claim wins; a failed start keeps its error whatever comes after', () => {
    const ending = new Ending(() => false);
    const error = new Error('no such module');
    expect(ending.claim({ by: 'start-failed', error })).to.equal(true);
    expect(ending.claim({ by: 'out-of-memory' })).to.equal(false);
    expect(ending.claim({ by: 'misbehaved', problem: 'x' })).to.equal(false);
    expect(ending.startError).to.equal(error);
    expect(ending.exited(1, null)).to.equal('exit');
  });

  it("the host's verdict 'misbehaved' outranks a heap-limit message and a plain kill", () => {
    const forged = new Ending(() => false);
    forged.claim({ by: 'out-of-memory' });
    expect(forged.claim({ by: 'misbehaved', problem: 'flooded' })).to.equal(true);
    expect(forged.exited(null, 'SIGKILL')).to.equal('misbehaved');
    const killed = new Ending(() => false);
    killed.claim({ by: 'killed' });
    expect(killed.claim({ by: 'misbehaved', problem: 'flooded' })).to.equal(true);
    expect(killed.claim({ by: 'misbehaved', problem: 'again' })).to.equal(false);
  });

  it('misbehaved counts only if the SIGKILL ended the child; out of memory whatever the signal', () => {
    const beaten = new Ending(() => false);
    beaten.claim({ by: 'misbehaved', problem: 'slow' });
    expect(beaten.exited(0, null)).to.equal('exit');
    const oom = new Ending(() => false);
    oom.claim({ by: 'out-of-memory' });
    expect(oom.exited(null, 'SIGABRT')).to.equal('out-of-memory');
  });

  it('a start deadline is a kill: it wins over a later kill, and nothing more is written', () => {
    const ending = new Ending(() => false);
    expect(ending.claim({ by: 'start-timeout', ms: 5 })).to.equal(true);
    expect(ending.killSent).to.equal(true);
    expect(ending.claim({ by: 'killed' })).to.equal(false);
    expect(ending.startTimedOut).to.equal(5);
    expect(ending.startError).to.equal(undefined);
  });

  it('a kill is known as sent whoever won, so nothing more is written to the child', () => {
    const ending = new Ending(() => false);
    ending.claim({ by: 'start-failed', error: new Error('refused') });
    expect(ending.killSent).to.equal(false);
    ending.claim({ by: 'killed' });
    expect(ending.killSent).to.equal(true);
  });

  it('after the exit nothing can claim, and the deadline for a silent child is cleared', () => {
    // The thread's life says when it has exited; the ending reads it.
    let exited = false;
    const ending = new Ending(() => exited);
    let late = false;
    ending.expectExit(1, () => {
      late = true;
    });
    expect(ending.exited(0, null)).to.equal('exit');
    exited = true;
    expect(ending.claim({ by: 'killed' })).to.equal(false);
    // Timers of one duration fire in the order they were armed: this one comes after the cleared one would have.
    return new Promise<void>((resolve) =>
      new Ending(() => false).expectExit(1, () => {
        expect(late).to.equal(false);
        resolve();
      }),
    );
  });
});
