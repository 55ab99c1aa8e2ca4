import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { JailThread } from 'jailthread';
import { entries, folderOf, freshHomes, startAnswerStop } from './code-cache-home.js';
import { fixture, startedWarm, track, within } from './helpers.js';

describe('code cache: a child compiles the library from the code its first start kept', () => {
  const home = freshHomes();

  it('the first start keeps one file for this Node; the next start is compiled from it and leaves it as it was', async () => {
    await startAnswerStop(home());
    const [kept, ...more] = entries(home());
    expect(more).to.deep.equal([]);
    expect(kept).to.match(/^jailthread\.cjs-[0-9a-f]{16}-/);
    expect(kept).to.include(`-${process.version}-${process.arch}-`);
    const before = statSync(path.join(folderOf(home()), kept as string));
    expect(before.mode & 0o777, 'only its owner reads it').to.equal(0o600);
    expect(statSync(folderOf(home())).mode & 0o777).to.equal(0o700);
    await startAnswerStop(home());
    // Rewritten would be a new file renamed over it: a new inode.
    expect(statSync(path.join(folderOf(home()), kept as string)).ino).to.equal(before.ino);
  });

  it('children under other V8 flags (execArgv, NODE_OPTIONS) keep a file each, reused rather than rewritten', async () => {
    const flagged = ['--max-old-space-size=200'];
    const options = { NODE_OPTIONS: '--max-semi-space-size=4' };
    await startAnswerStop(home());
    await startAnswerStop(home(), {}, flagged);
    await startAnswerStop(home(), options);
    const kept = entries(home());
    expect(kept).to.have.length(3);
    const inodes = kept.map((name) => statSync(path.join(folderOf(home()), name)).ino);
    await startAnswerStop(home(), options);
    await startAnswerStop(home(), {}, flagged);
    await startAnswerStop(home());
    expect(entries(home()).map((name) => statSync(path.join(folderOf(home()), name)).ino)).to.deep.equal(inodes);
  });

  it('a thread asked nothing keeps the code a second into its run', async () => {
    const thread = track(JailThread.fromModule(fixture('echo'), { name: 'unasked', env: { XDG_CACHE_HOME: home() } }));
    await thread.start();
    expect(await within(() => existsSync(folderOf(home())) && entries(home()).length === 1, 20_000)).to.equal(true);
    await thread.stop();
  });

  it('a spare keeps nothing while it waits; adopted, it keeps the code once its thread has answered', async () => {
    const env = { XDG_CACHE_HOME: home() };
    try {
      await JailThread.prewarm(1, { env });
      // Node's own compile cache (22.1+) may have written its folder beside ours; ours is not there yet.
      expect(existsSync(folderOf(home())), 'a ready spare').to.equal(false);
      const thread = JailThread.fromModule(fixture('options-echo'), { name: 'adopted', env });
      expect(await startedWarm(thread), 'adopted a spare, and had its status').to.equal(true);
      await thread.stop();
      expect(entries(home())).to.have.length(1);
    } finally {
      await JailThread.prewarm(0, { env });
    }
  });

  it('NODE_DISABLE_COMPILE_CACHE, whatever its value, keeps nothing', async () => {
    await startAnswerStop(home(), { NODE_DISABLE_COMPILE_CACHE: 'true' });
    expect(readdirSync(home())).to.deep.equal([]);
  });
});
