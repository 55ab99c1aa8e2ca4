import { expect } from 'chai';
import { compileFailregex, matchHost } from 'jailthread/jails/log';

describe('log jail: failregex', () => {
  const sshd = compileFailregex(['Failed password for .* from <HOST> port \\d+']);

  it('captures an IPv4 host', () => {
    const line = 'Nov 24 10:15:02 demo sshd[4242]: Failed password for root from 203.0.113.7 port 52144 ssh2';
    expect(matchHost(sshd, line)).to.equal('203.0.113.7');
  });

  it('captures IPv6 hosts, compressed, full and with a trailing IPv4 part', () => {
    for (const ip of ['2001:db8::1', '::1', '2001:db8:0:0:1:0:0:1', 'fe80::', '64:ff9b::192.0.2.1']) {
      expect(matchHost(sshd, `Failed password for root from ${ip} port 22`), ip).to.equal(ip);
    }
  });

  it('captures an IPv4-mapped IPv6 address without its ::ffff: prefix', () => {
    expect(matchHost(sshd, 'Failed password for root from ::ffff:203.0.113.7 port 22')).to.equal('203.0.113.7');
    expect(matchHost(sshd, 'Failed password for root from ::FFFF:203.0.113.7 port 22')).to.equal('203.0.113.7');
    const greedy = compileFailregex(['.*<HOST>']);
    expect(matchHost(greedy, 'from ::ffff:192.0.2.1')).to.equal('192.0.2.1');
    const repeated = compileFailregex(['<HOST> then \\k<host>']);
    expect(matchHost(repeated, '::ffff:192.0.2.1 then ::ffff:192.0.2.1')).to.equal('192.0.2.1');
  });

  it('captures a whole address, never the tail or head of a longer one', () => {
    const greedy = compileFailregex(['.*<HOST>']);
    expect(matchHost(greedy, 'from 11.2.3.4')).to.equal('11.2.3.4');
    expect(matchHost(greedy, 'from 2001:db8::12')).to.equal('2001:db8::12');
    expect(matchHost(compileFailregex(['from <HOST>']), 'from 1.2.3.456')).to.equal(undefined);
    expect(matchHost(compileFailregex(['client <HOST>']), 'client 1.2.3.4:5555')).to.equal('1.2.3.4');
    expect(matchHost(compileFailregex(['ip=<HOST>\\.']), 'ip=192.0.2.1.')).to.equal('192.0.2.1');
  });

  it('does not take a syslog time for an IPv6 address', () => {
    expect(matchHost(compileFailregex(['<HOST>']), 'Nov 24 10:15:02 demo sshd[1]: Connection closed')).to.equal(
      undefined,
    );
  });

  it("accepts Python's (?P<name>...) groups and (?P=name) back-references", () => {
    const [regex] = compileFailregex(['user (?P<user>\\w+) from <HOST> as (?P=user)']);
    const match = regex?.exec('user admin from 192.0.2.1 as admin');
    expect(match?.groups).to.deep.equal({ user: 'admin', host: '192.0.2.1' });
    expect(regex?.test('user admin from 192.0.2.1 as root')).to.equal(false);
  });

  it('leaves (?P< alone inside a character class and after a backslash', () => {
    const [regex] = compileFailregex(['[(?P<]+ \\(?P<x> <HOST>']);
    expect(regex?.exec('?P< P<x> 192.0.2.1')?.groups?.host).to.equal('192.0.2.1');
  });

  it('returns the host of the first pattern that matches, undefined when none does', () => {
    const regexes = compileFailregex(['^first from <HOST>', 'from <HOST>']);
    expect(matchHost(regexes, 'first from 192.0.2.1')).to.equal('192.0.2.1');
    expect(matchHost(regexes, 'then from 192.0.2.2')).to.equal('192.0.2.2');
    expect(matchHost(regexes, 'Accepted password for alice')).to.equal(undefined);
    expect(matchHost([], 'from 192.0.2.1')).to.equal(undefined);
  });

  it('throws a TypeError naming the pattern and the fix when <HOST> is missing or repeated', () => {
    expect(() => compileFailregex(['from <HOST>', 'Failed password from \\S+'])).to.throw(
      TypeError,
      /"Failed password from \\\\S\+" has no <HOST> or <ADDR>: put <HOST> where the offending address appears/,
    );
    expect(() => compileFailregex(['[<HOST>]'])).to.throw(TypeError, /has no <HOST>/);
    expect(() => compileFailregex(['<HOST> to <HOST>'])).to.throw(
      TypeError,
      /"<HOST> to <HOST>" has <HOST>\/<ADDR> 2 times/,
    );
  });

  it('throws a TypeError naming the pattern and the fix when it does not compile', () => {
    let thrown: unknown;
    try {
      compileFailregex(['from <HOST> (unclosed']);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).to.be.instanceOf(TypeError);
    expect((thrown as TypeError).message).to.match(
      /^failregex "from <HOST> \(unclosed" is not a valid regular expression \(.+\): fix its syntax/,
    );
    expect((thrown as TypeError).cause).to.be.instanceOf(SyntaxError);
  });
});
