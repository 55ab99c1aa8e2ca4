import { expect } from 'chai';
import SaysBye from './fixtures/says-bye.js';
import { eventWhere, track } from './helpers.js';

describe('channel end: a child whose channel is over must exit', () => {
  it("a child that says 'bye' and lives on is killed as misbehaved after its stopTimeout", async () => {
    const thread = track(new SaysBye({ name: 'lingers', stopTimeout: 1 }));
    const reported = eventWhere(thread, 'error');
    await thread.start();
    await thread.join(60_000);
    expect(thread.isAlive()).to.equal(false);
    expect(thread.exitReason).to.equal('misbehaved');
    expect((await reported).message).to.match(
      /^thread "lingers" \(pid \d+\) said 'bye' but had not exited 1 ms later; it was killed\.$/,
    );
  });
});
