import { expect } from 'chai';
import { BanList } from '../lib/ban-list.js';

describe('fail2ban example: BanList', () => {
  it('bans once: a second ban of a banned address is refused and not counted', () => {
    const bans = new BanList({ bantime: 1000 });
    expect(bans.ban('192.0.2.1', 0)).to.equal(true);
    expect(bans.ban('192.0.2.1', 10)).to.equal(false);
    expect(bans.isBanned('192.0.2.1')).to.equal(true);
    expect(bans.isBanned('192.0.2.2')).to.equal(false);
    expect(bans.totalBanned).to.equal(1);
  });

  it('lists the banned addresses in ban order', () => {
    const bans = new BanList({ bantime: 1000 });
    bans.ban('192.0.2.3', 0);
    bans.ban('192.0.2.1', 1);
    bans.ban('2001:db8::2', 2);
    expect(bans.banned()).to.deep.equal(['192.0.2.3', '192.0.2.1', '2001:db8::2']);
  });

  it('a ban is due exactly bantime after it was made, and due() removes it', () => {
    const bans = new BanList({ bantime: 1000 });
    bans.ban('192.0.2.1', 100);
    expect(bans.due(1099)).to.deep.equal([]);
    expect(bans.isBanned('192.0.2.1')).to.equal(true);
    expect(bans.due(1100)).to.deep.equal(['192.0.2.1']);
    expect(bans.isBanned('192.0.2.1')).to.equal(false);
    expect(bans.banned()).to.deep.equal([]);
    expect(bans.due(5000), 'handed back once').to.deep.equal([]);
  });

  it('due() returns every ended ban in ban order and keeps the others', () => {
    const bans = new BanList({ bantime: 1000 });
    bans.ban('192.0.2.2', 0);
    bans.ban('192.0.2.1', 10);
    bans.ban('192.0.2.3', 500);
    expect(bans.due(1200)).to.deep.equal(['192.0.2.2', '192.0.2.1']);
    expect(bans.banned()).to.deep.equal(['192.0.2.3']);
  });

  it('an address whose ban ended can be banned again, and counts again', () => {
    const bans = new BanList({ bantime: 1000 });
    bans.ban('192.0.2.1', 0);
    bans.ban('192.0.2.2', 500);
    bans.due(1000);
    expect(bans.ban('192.0.2.1', 1200)).to.equal(true);
    expect(bans.banned(), 'at the end of the ban order').to.deep.equal(['192.0.2.2', '192.0.2.1']);
    expect(bans.totalBanned).to.equal(3);
  });

  it('bantime Infinity never ends; a negative bantime is refused', () => {
    const bans = new BanList({ bantime: Number.POSITIVE_INFINITY });
    bans.ban('192.0.2.1', 0);
    expect(bans.due(Number.MAX_SAFE_INTEGER)).to.deep.equal([]);
    expect(() => new BanList({ bantime: -1 })).to.throw(RangeError, /Infinity for a permanent ban/);
  });
});
