import { expect } from 'chai';
import { JailThread } from 'jailthread';
import { fixture, isGone, nextMessage, track } from './helpers.js';

const permission = process.allowedNodeEnvironmentFlags.has('--permission')
  ? ['--permission']
  : ['--experimental-permission', '--disable-warning=ExperimentalWarning'];

describe('lifecycle: an exit is seen from the process, not only from its channel', () => {
  it('a child that leaves a helper holding its channel and pipes is seen to exit', async () => {
    const thread = track(JailThread.fromModule(fixture('leaves-helper')));
    const helper = nextMessage(thread) as Promise<number>;
    await thread.start();
    const pid = await helper;
    try {
      // Without the process's own exit, this waited for the helper's 30 s.
      await thread.join();
      expect(thread.exitCode).to.equal(0);
      expect(thread.isAlive()).to.equal(false);
      expect(isGone(pid), 'the helper outlives it: only the process ended').to.equal(false);
    } finally {
      process.kill(pid, 'SIGKILL');
    }
  });

  it('a sandboxed child that removes its exit listeners and exits is seen to exit (Node 25+: fs-level channel)', async () => {
    const thread = track(
      JailThread.fromModule(fixture('exits-unheard'), { execArgv: [...permission, '--allow-fs-read=*'] }),
    );
    await thread.start();
    await thread.join();
    expect(thread.exitCode).to.equal(7);
    expect(isGone(thread.ident as number)).to.equal(true);
  });
});
