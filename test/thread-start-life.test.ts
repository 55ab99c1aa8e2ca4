import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { expect } from 'chai';
import { JailThread, ThreadStartError } from 'jailthread';
import { fixture, isGone, track } from './helpers.js';

/** A thread whose module hangs in its import for ever, and a wait for the child to be in that import. */
function hanging(options: { stopTimeout?: number; startTimeout?: number } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'jailthread-hang-'));
  const mark = path.join(dir, 'importing');
  const thread = track(JailThread.fromModule(fixture('hangs-importing'), { ...options, env: { HANG_MARK: mark } }));
  const importing = async (): Promise<void> => {
    // The child writes the mark just before its import starts waiting; polled, as a file gives no event to await.
    while (!existsSync(mark)) await delay(5);
  };
  return { thread, importing, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

describe('lifecycle: a thread whose module never finishes loading', () => {
  it('stop() returns within stopTimeout + 1 s with the process gone, and start() rejects naming the stop', async () => {
    const { thread, importing, cleanup } = hanging({ stopTimeout: 50 });
    try {
      const started = thread.start().catch((error: Error) => error);
      await importing();
      const pid = thread.ident as number;
      const asked = Date.now();
      const result = await thread.stop();
      const took = Date.now() - asked;
      expect(result).to.deep.equal({ forced: true, exitCode: null, signalCode: 'SIGTERM' });
      expect(took).to.be.below(50 + 1000);
      expect(isGone(pid)).to.equal(true);
      expect(thread.isAlive()).to.equal(false);
      const error = await started;
      expect(error).to.be.instanceOf(ThreadStartError);
      expect((error as Error).message).to.include('stop() was called while it started');
    } finally {
      cleanup();
    }
  });

  it('stop() called with start(), before the child exists, reaches it and ends it the same way', async () => {
    const { thread, cleanup } = hanging({ stopTimeout: 50 });
    try {
      const started = thread.start().catch((error: Error) => error);
      const result = await thread.stop();
      expect(result.forced).to.equal(true);
      expect(isGone(thread.ident as number)).to.equal(true);
      expect(await started).to.be.instanceOf(ThreadStartError);
    } finally {
      cleanup();
    }
  });

  it('join(timeout) returns after its timeout, and kill() ends the child, while the import hangs', async () => {
    const { thread, importing, cleanup } = hanging();
    try {
      const started = thread.start().catch((error: Error) => error);
      await importing();
      await thread.join(1);
      expect(thread.isAlive()).to.equal(true);
      thread.kill();
      await thread.join();
      expect(isGone(thread.ident as number)).to.equal(true);
      expect((await started) as Error).to.be.instanceOf(ThreadStartError);
    } finally {
      cleanup();
    }
  });

  it('past startTimeout the child is killed and start() rejects naming the timeout', async () => {
    const { thread, cleanup } = hanging({ startTimeout: 1 });
    try {
      const error = await thread.start().catch((e: Error) => e);
      expect(error).to.be.instanceOf(ThreadStartError);
      expect((error as Error).message).to.include('within the startTimeout of 1 ms');
      expect(isGone(thread.ident as number)).to.equal(true);
      expect(thread.isAlive()).to.equal(false);
      expect(thread.exitReason).to.equal('signal');
    } finally {
      cleanup();
    }
  });

  it('a thread that starts in time is not touched by its startTimeout', async () => {
    const thread = track(JailThread.fromModule(fixture('echo'), { startTimeout: 60_000 }));
    await thread.start();
    expect(thread.isAlive()).to.equal(true);
    expect(await thread.stop()).to.include({ forced: false });
  });
});
