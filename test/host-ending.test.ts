import { expect } from 'chai';
import { Ending } from '../src/host/ending.js';

// Pure: the ways a child ends, one recorded as the winner.
describe('host ending: one contender claims how a child ends', () => {
  it('with no contender the exit speaks for itself: exit code, signal, or never spawned', () => {
    expect(new Ending().exited(3, null)).to.equal('exit');
    expect(new Ending().exited(null, 'SIGTERM')).to.equal('signal');
    expect(new Ending().exited(null, null)).to.equal('spawn-failed');
  });

  it('the first claim wins; a failed start keeps its error whatever comes after', () => {
    const ending = new Ending();
    const error = new Error('no such module');
    expect(ending.claim({ by: 'start-failed', error })).to.equal(true);
    expect(ending.claim({ by: 'out-of-memory' })).to.equal(false);
    expect(ending.claim({ by: 'misbehaved', problem: 'x' })).to.equal(false);
    expect(ending.startError).to.equal(error);
    expect(ending.exited(1, null)).to.equal('exit');
  });

  it("the host's verdict 'misbehaved' outranks a heap-limit message and a plain kill", () => {
    const forged = new Ending();
    forged.claim({ by: 'out-of-memory' });
    expect(forged.claim({ by: 'misbehaved', problem: 'flooded' })).to.equal(true);
    expect(forged.exited(null, 'SIGKILL')).to.equal('misbehaved');
    const killed = new Ending();
    killed.claim({ by: 'killed' });
    expect(killed.claim({ by: 'misbehaved', problem: 'flooded' })).to.equal(true);
    expect(killed.claim({ by: 'misbehaved', problem: 'again' })).to.equal(false);
  });

  it('misbehaved counts only if the SIGKILL ended the child; out of memory whatever the signal', () => {
    const beaten = new Ending();
    beaten.claim({ by: 'misbehaved', problem: 'slow' });
    expect(beaten.exited(0, null)).to.equal('exit');
    const oom = new Ending();
    oom.claim({ by: 'out-of-memory' });
    expect(oom.exited(null, 'SIGABRT')).to.equal('out-of-memory');
  });

  it('a kill is known as sent whoever won, so nothing more is written to the child', () => {
    const ending = new Ending();
    ending.claim({ by: 'start-failed', error: new Error('refused') });
    expect(ending.killSent).to.equal(false);
    ending.claim({ by: 'killed' });
    expect(ending.killSent).to.equal(true);
  });

  it('after the exit nothing can claim, and the deadline for a silent child is cleared', () => {
    const ending = new Ending();
    let late = false;
    ending.expectExit(1, () => {
      late = true;
    });
    expect(ending.exited(0, null)).to.equal('exit');
    expect(ending.claim({ by: 'killed' })).to.equal(false);
    // Timers of one duration fire in the order they were armed: this one comes after the cleared one would have.
    return new Promise<void>((resolve) =>
      new Ending().expectExit(1, () => {
        expect(late).to.equal(false);
        resolve();
      }),
    );
  });
});
