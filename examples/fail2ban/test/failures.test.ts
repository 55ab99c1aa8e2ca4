import { expect } from 'chai';
import { FailureCounter } from '../lib/failures.js';

describe('fail2ban example: FailureCounter', () => {
  it('calls for a ban at the maxretry-th failure, then starts a new count', () => {
    const counter = new FailureCounter({ findtime: 10_000, maxretry: 3 });
    expect(counter.add('192.0.2.1', 0)).to.equal(false);
    expect(counter.add('192.0.2.1', 1)).to.equal(false);
    expect(counter.add('192.0.2.2', 2), 'another address has its own count').to.equal(false);
    expect(counter.add('192.0.2.1', 3)).to.equal(true);
    expect(counter.add('192.0.2.1', 4), 'forgotten at the ban').to.equal(false);
    expect(counter.add('192.0.2.1', 5)).to.equal(false);
    expect(counter.add('192.0.2.1', 6)).to.equal(true);
  });

  it('counts a failure exactly findtime old, not one a ms older', () => {
    const inside = new FailureCounter({ findtime: 1000, maxretry: 2 });
    inside.add('192.0.2.1', 0);
    expect(inside.add('192.0.2.1', 1000)).to.equal(true);

    const outside = new FailureCounter({ findtime: 1000, maxretry: 2 });
    outside.add('192.0.2.1', 0);
    expect(outside.add('192.0.2.1', 1001)).to.equal(false);
    expect(outside.add('192.0.2.1', 2001), 'the failure at 1001 is exactly findtime old').to.equal(true);
  });

  it('maxretry 1 bans at the first failure', () => {
    expect(new FailureCounter({ findtime: 0, maxretry: 1 }).add('192.0.2.1', 0)).to.equal(true);
  });

  it('currentlyFailed counts the addresses with a failure in the window, and drops the others', () => {
    const counter = new FailureCounter({ findtime: 1000, maxretry: 3 });
    expect(counter.currentlyFailed(0)).to.equal(0);
    counter.add('192.0.2.1', 0);
    counter.add('192.0.2.2', 500);
    counter.add('192.0.2.2', 600);
    expect(counter.currentlyFailed(1000)).to.equal(2);
    expect(counter.currentlyFailed(1001)).to.equal(1);
    expect(counter.currentlyFailed(1600)).to.equal(1);
    expect(counter.currentlyFailed(1601)).to.equal(0);
    // Pruned for good: an earlier time does not bring them back.
    expect(counter.currentlyFailed(0)).to.equal(0);
  });

  it('an address banned is not currently failed', () => {
    const counter = new FailureCounter({ findtime: 1000, maxretry: 2 });
    counter.add('192.0.2.1', 0);
    counter.add('192.0.2.1', 1);
    expect(counter.currentlyFailed(1)).to.equal(0);
  });

  it('totalFailed counts every failure ever added', () => {
    const counter = new FailureCounter({ findtime: 1000, maxretry: 2 });
    counter.add('192.0.2.1', 0);
    counter.add('192.0.2.1', 1);
    counter.add('192.0.2.2', 5000);
    counter.forget('192.0.2.2');
    counter.currentlyFailed(10_000);
    expect(counter.totalFailed).to.equal(3);
  });

  it('forget drops the failures of one address', () => {
    const counter = new FailureCounter({ findtime: 1000, maxretry: 2 });
    counter.add('192.0.2.1', 0);
    counter.add('192.0.2.2', 0);
    expect(counter.forget('192.0.2.1')).to.equal(true);
    expect(counter.forget('192.0.2.1')).to.equal(false);
    expect(counter.currentlyFailed(0)).to.equal(1);
    expect(counter.add('192.0.2.1', 1), 'counts from zero again').to.equal(false);
  });

  it('rejects a findtime or maxretry that makes no sense', () => {
    expect(() => new FailureCounter({ findtime: -1, maxretry: 3 })).to.throw(RangeError, /findtime/);
    expect(() => new FailureCounter({ findtime: Number.NaN, maxretry: 3 })).to.throw(RangeError, /findtime/);
    expect(() => new FailureCounter({ findtime: 1000, maxretry: 0 })).to.throw(RangeError, /maxretry/);
    expect(() => new FailureCounter({ findtime: 1000, maxretry: 2.5 })).to.throw(RangeError, /maxretry/);
  });
});
