import { tmpdir } from 'node:os';
import { expect } from 'chai';
import { ThreadStateError, ThreadTimeoutError } from 'jailthread';
import LastWords from './fixtures/last-words.js';
import SelfHarm from './fixtures/self-harm.js';
import StatusFlavors from './fixtures/status-flavors.js';
import { captureStderr, nextMessage, track } from './helpers.js';

describe('faults: a child that dies or stalls', () => {
  const cases = [
    { how: 'SIGKILL from outside', reason: 'signal', signal: 'SIGKILL', words: /killed by SIGKILL/ },
    { how: 'SIGSEGV', reason: 'signal', signal: 'SIGSEGV', words: /killed by SIGSEGV/ },
    { how: 'abort', reason: 'signal', signal: 'SIGABRT', words: /killed by SIGABRT/ },
    { how: 'oom', reason: 'out-of-memory', signal: 'SIGABRT', words: /ran out of memory \(V8 heap limit\)/ },
  ] as const;
  for (const { how, reason, signal, words } of cases) {
    it(`${how}: the host classifies the exit and rejects pending calls`, async () => {
      const thread = track(new SelfHarm({ name: how, maxOldGenerationSizeMb: 32, cwd: tmpdir() }));
      const ready = nextMessage(thread);
      await thread.start();
      await ready;
      const pending = thread.getStatus('never answered', { timeout: 60_000 }).catch((e: unknown) => e);
      // What a dying child writes (V8's out-of-memory report, an abort's native stack) comes on its
      // stderr, which the host passes on to its own: kept here rather than printed among the suite's
      // results as if the suite had crashed, and V8's report checked.
      const stderr = captureStderr();
      try {
        if (how === 'SIGKILL from outside') process.kill(thread.ident as number, 'SIGKILL');
        else await thread.send(how);
        await thread.join();
      } finally {
        stderr.restore();
      }
      if (how === 'oom') expect(stderr.text()).to.match(/FATAL ERROR: .*JavaScript heap out of memory/);
      expect([thread.exitReason, thread.exitCode, thread.signalCode]).to.deep.equal([reason, null, signal]);
      const error = (await pending) as Error;
      expect(error).to.be.instanceOf(ThreadStateError);
      expect(error.message).to.match(
        new RegExp(`^getStatus\\(\\) of thread "${how}" \\(pid \\d+\\) could not complete`),
      );
      expect(error.message).to.match(words);
      expect(thread.isAlive()).to.equal(false);
    });
  }

  it('a child stopped with SIGSTOP does not hang getStatus(): it times out', async () => {
    const thread = track(new StatusFlavors());
    await thread.start();
    process.kill(thread.ident as number, 'SIGSTOP');
    const error = await thread.getStatus(undefined, { timeout: 1 }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ThreadTimeoutError);
    thread.kill();
    await thread.join();
    expect(thread.signalCode).to.equal('SIGKILL');
  });

  it('stop() of a child that ignores it resolves within stopTimeout + grace + 100 ms', async () => {
    const thread = track(new SelfHarm());
    await thread.start();
    process.kill(thread.ident as number, 'SIGSTOP');
    const t0 = performance.now();
    const result = await thread.stop({ timeout: 50, grace: 50 });
    expect(performance.now() - t0).to.be.below(50 + 50 + 100);
    expect(result).to.deep.equal({ forced: true, exitCode: null, signalCode: 'SIGKILL' });
  });

  it('sends to a thread that is being killed or has exited reject with ThreadStateError', async () => {
    const thread = track(new SelfHarm());
    await thread.start();
    thread.kill();
    const dying = await thread.send('late').catch((e: unknown) => e);
    expect(dying).to.be.instanceOf(ThreadStateError);
    await thread.join();
    const dead = await thread.send('later').catch((e: unknown) => e);
    expect((dead as Error).message).to.match(/the thread exited \(killed by SIGKILL\)/);
  });

  it('the final status and a message sent just before run() returns arrive, at 4 MiB each', async () => {
    const thread = track(new LastWords());
    const message = nextMessage<string>(thread);
    await thread.start();
    await thread.join();
    expect((await message).length).to.equal(4 * 2 ** 20);
    expect((await thread.getStatus()).length).to.equal(4 * 2 ** 20);
    expect(thread.exitCode).to.equal(0);
  });
});
