import { expect } from 'chai';
import { childMessage } from '../src/protocol/child-message.js';
import { hostMessage, parseHostMessage } from '../src/protocol/host-message.js';
import { initFrame } from '../src/protocol/init-frame.js';

// The child checks each frame against its own type's schema; the host's union
// says the same of every frame, which these tests hold both to.
function parse(raw: unknown) {
  const own = parseHostMessage(raw);
  expect(hostMessage().safeParse(raw).success, JSON.stringify(raw)).to.equal(own.success);
  return own;
}

// Pure: what each direction of the wire admits.
describe('frames: one request frame and one reply pair, each direction with its own kinds', () => {
  const state = { name: 't', daemon: false, idle: false, sleeptime: 0, active: true, stopTimeout: 0 };

  it('the host may ask for status, a ping or a call, each answered by reply or reply-error', () => {
    for (const frame of [
      { t: 'request', id: 1, kind: 'status' },
      { t: 'request', id: 2, kind: 'status', flavor: 'basic' },
      { t: 'request', id: 3, kind: 'ping' },
      { t: 'request', id: 4, kind: 'call', method: 'lookup', input: { key: 'k' } },
      { t: 'reply', id: 5, value: undefined },
      { t: 'reply-error', id: 6, error: { name: 'Error', message: 'no' } },
    ]) {
      expect(parse(frame).success, JSON.stringify(frame)).to.equal(true);
    }
  });

  it('a child may only call the host: status and ping requests from it are outside the protocol', () => {
    expect(childMessage().safeParse({ t: 'request', id: 1, kind: 'call', method: 'm', input: 1 }).success).to.equal(
      true,
    );
    expect(childMessage().safeParse({ t: 'request', id: 1, kind: 'status' }).success).to.equal(false);
    expect(childMessage().safeParse({ t: 'request', id: 1, kind: 'ping' }).success).to.equal(false);
    expect(childMessage().safeParse({ t: 'reply', id: 1, value: 0 }).success).to.equal(true);
  });

  it('the frames each kind replaced are gone', () => {
    for (const t of ['status', 'status-ok', 'status-error', 'ping', 'pong', 'call']) {
      expect(parse({ t, id: 1 }).success, t).to.equal(false);
      expect(childMessage().safeParse({ t, id: 1 }).success, t).to.equal(false);
    }
  });

  it('a request with fields of another kind, or none of its own, is refused', () => {
    expect(parse({ t: 'request', id: 1, kind: 'ping', method: 'm' }).success).to.equal(false);
    expect(parse({ t: 'request', id: 1, kind: 'call', input: 1 }).success).to.equal(false);
    expect(parse({ t: 'request', id: 1, kind: 'teleport' }).success).to.equal(false);
  });

  it("the set frame admits the init state's mutable fields only, with the same rules", () => {
    expect(initFrame.safeParse({ t: 'init', module: 'm', options: {}, args: [], state }).success).to.equal(true);
    expect(parse({ t: 'set', name: 'n', idle: true, sleeptime: 5, active: false }).success).to.equal(true);
    expect(parse({ t: 'set', sleeptime: -1 }).success).to.equal(false);
    expect(childMessage().safeParse({ t: 'set', daemon: true }).success).to.equal(false);
    expect(childMessage().safeParse({ t: 'set', stopTimeout: 1 }).success).to.equal(false);
  });
});

describe('frames: a child builds the schema of a frame type on its first frame of that type', () => {
  it('a frame of no known type, or not an object, is refused with what the union expected', () => {
    for (const raw of [{ t: 'teleport' }, null, 'init', 7, { kind: 'status' }, { t: 'request', id: 1 }]) {
      const parsed = parseHostMessage(raw);
      expect(parsed.success, JSON.stringify(raw)).to.equal(false);
      expect(parsed.error?.issues.length, JSON.stringify(raw)).to.be.greaterThan(0);
    }
  });

  it('a request of an inherited property name is no kind', () => {
    expect(parseHostMessage({ t: 'request', id: 1, kind: 'toString' }).success).to.equal(false);
    expect(parseHostMessage({ t: 'request', id: 1, kind: '__proto__' }).success).to.equal(false);
  });
});
