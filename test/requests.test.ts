import { expect } from 'chai';
import { ValidationError } from '../src/errors.js';
import { toErrorData } from '../src/protocol/error-data.js';
import { Requests } from '../src/protocol/requests.js';

// Pure: one side's table of requests awaiting the other side's reply frames.
describe('requests: the table of requests awaiting a reply', () => {
  const never = () => new Error('timed out');

  it('a reply settles its request by id, whatever the order the replies come in', async () => {
    const requests = new Requests();
    const ids: number[] = [];
    const first = requests.open('a', 60_000, never, (id) => ids.push(id));
    const second = requests.open('b', 60_000, never, (id) => ids.push(id));
    expect(ids).to.have.length(2);
    expect(ids[0]).to.not.equal(ids[1]);
    expect(requests.answer({ t: 'reply', id: ids[1] as number, value: 'two' })).to.equal(undefined);
    expect(requests.answer({ t: 'reply', id: ids[0] as number, value: 'one' })).to.equal(undefined);
    expect(await Promise.all([first, second])).to.deep.equal(['one', 'two']);
  });

  it('a reply-error rejects with the error rebuilt, its class and fields kept', async () => {
    const requests = new Requests();
    let sent = 0;
    const pending = requests.open('call("x")', 60_000, never, (id) => {
      sent = id;
    });
    const error = new ValidationError('bad input', [{ path: 'key', message: 'Required' }]);
    requests.answer({ t: 'reply-error', id: sent, error: toErrorData(error) });
    const rejected = (await pending.catch((e: unknown) => e)) as ValidationError;
    expect(rejected).to.be.instanceOf(ValidationError);
    expect(rejected.issues).to.deep.equal([{ path: 'key', message: 'Required' }]);
  });

  it("a value the request's check refuses is returned as the problem and leaves the request open", async () => {
    const requests = new Requests();
    let sent = 0;
    const pending = requests.open(
      'ping',
      60_000,
      never,
      (id) => {
        sent = id;
      },
      (value) => (typeof value === 'number' ? undefined : 'not a number'),
    );
    expect(requests.answer({ t: 'reply', id: sent, value: 'lie' })).to.equal('not a number');
    expect(requests.answer({ t: 'reply', id: sent, value: 7 })).to.equal(undefined);
    expect(await pending).to.equal(7);
  });

  it('a request times out with its own error, and a reply after that is dropped', async () => {
    const requests = new Requests();
    let sent = 0;
    const pending = requests.open(
      'status',
      1,
      () => new Error('no answer in 1 ms'),
      (id) => {
        sent = id;
      },
    );
    const error = (await pending.catch((e: unknown) => e)) as Error;
    expect(error.message).to.equal('no answer in 1 ms');
    expect(requests.answer({ t: 'reply', id: sent, value: 'late' })).to.equal(undefined);
  });

  it('rejectAll ends every open request with the error made for its call, and clears their timers', async () => {
    const requests = new Requests();
    const a = requests.open('status()', 60_000, never, () => undefined);
    const b = requests.open('call("m")', 60_000, never, () => undefined);
    requests.rejectAll((call) => new Error(`${call}: gone`));
    const errors = await Promise.all([a, b].map((p) => p.catch((e: unknown) => (e as Error).message)));
    expect(errors).to.deep.equal(['status(): gone', 'call("m"): gone']);
  });
});
