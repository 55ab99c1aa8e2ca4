import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { JailThread } from 'jailthread';
import { fixture, startedWarm, track } from './helpers.js';

/**
 * A thread whose child's cache home is `home`, run to its first answer and
 * stopped: the child keeps its compiled code once that answer is written, on
 * the same turn of its event loop, so before the stop frame is read.
 */
async function startAnswerStop(home: string, env: Record<string, string> = {}, execArgv?: string[]): Promise<void> {
  const thread = track(
    JailThread.fromModule(fixture('echo'), {
      name: 'cached',
      env: { XDG_CACHE_HOME: home, ...env },
      ...(execArgv && { execArgv }),
    }),
  );
  await thread.start();
  await thread.getStatus();
  await thread.stop();
}

const folderOf = (home: string): string => path.join(home, 'jailthread', 'code-cache');
const entries = (home: string): string[] => readdirSync(folderOf(home)).filter((name) => name.endsWith('.v8'));

describe('code cache: a child compiles the library from the code its first start kept', () => {
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(path.join(tmpdir(), 'jailthread-code-cache-'));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('the first start keeps one file for this Node; the next start is compiled from it and leaves it as it was', async () => {
    await startAnswerStop(home);
    const [kept, ...more] = entries(home);
    expect(more).to.deep.equal([]);
    expect(kept).to.match(new RegExp(`^jailthread\\.cjs-${process.version.replaceAll('.', '\\.')}-${process.arch}-`));
    const before = statSync(path.join(folderOf(home), kept as string));
    expect(before.mode & 0o777, 'only its owner reads it').to.equal(0o600);
    expect(statSync(folderOf(home)).mode & 0o777).to.equal(0o700);
    await startAnswerStop(home);
    // Rewritten would be a new file renamed over it: a new inode.
    expect(statSync(path.join(folderOf(home), kept as string)).ino).to.equal(before.ino);
  });

  it('children under other V8 flags (execArgv, NODE_OPTIONS) keep a file each, reused rather than rewritten', async () => {
    const flagged = ['--max-old-space-size=200'];
    const options = { NODE_OPTIONS: '--max-semi-space-size=4' };
    await startAnswerStop(home);
    await startAnswerStop(home, {}, flagged);
    await startAnswerStop(home, options);
    const kept = entries(home);
    expect(kept).to.have.length(3);
    const inodes = kept.map((name) => statSync(path.join(folderOf(home), name)).ino);
    await startAnswerStop(home, options);
    await startAnswerStop(home, {}, flagged);
    await startAnswerStop(home);
    expect(entries(home).map((name) => statSync(path.join(folderOf(home), name)).ino)).to.deep.equal(inodes);
  });

  it('a damaged cache file is refused by V8 and replaced; the thread starts as ever', async () => {
    await startAnswerStop(home);
    const [kept] = entries(home);
    const file = path.join(folderOf(home), kept as string);
    writeFileSync(file, Buffer.alloc(4096, 7));
    await startAnswerStop(home);
    expect(readFileSync(file).equals(Buffer.alloc(4096, 7))).to.equal(false);
  });

  it("a rebuilt library's entries for this Node are removed, another Node's are left", async () => {
    await startAnswerStop(home);
    const older = `jailthread.cjs-${process.version}-${process.arch}-1-2-3.v8`;
    const otherLine = `jailthread.cjs-v0.0.0-${process.arch}-1-2-3.v8`;
    const [kept] = entries(home);
    rmSync(path.join(folderOf(home), kept as string));
    writeFileSync(path.join(folderOf(home), older), 'old');
    writeFileSync(path.join(folderOf(home), otherLine), 'other');
    await startAnswerStop(home);
    expect(entries(home).sort()).to.deep.equal([kept, otherLine].sort());
  });

  it('a spare keeps nothing while it waits; adopted, it keeps the code once its thread has answered', async () => {
    const env = { XDG_CACHE_HOME: home };
    try {
      await JailThread.prewarm(1, { env });
      // Node's own compile cache (22.1+) may have written its folder beside ours; ours is not there yet.
      expect(existsSync(folderOf(home)), 'a ready spare').to.equal(false);
      const thread = JailThread.fromModule(fixture('options-echo'), { name: 'adopted', env });
      expect(await startedWarm(thread), 'adopted a spare, and had its status').to.equal(true);
      await thread.stop();
      expect(entries(home)).to.have.length(1);
    } finally {
      await JailThread.prewarm(0, { env });
    }
  });

  it('NODE_DISABLE_COMPILE_CACHE=1 keeps nothing', async () => {
    await startAnswerStop(home, { NODE_DISABLE_COMPILE_CACHE: '1' });
    expect(readdirSync(home)).to.deep.equal([]);
  });

  it('a cache home that cannot be written (a file, not a folder) costs the start nothing but the cache', async () => {
    const file = path.join(home, 'not-a-folder');
    writeFileSync(file, '');
    await startAnswerStop(file);
    expect(readdirSync(home)).to.deep.equal(['not-a-folder']);
  });
});
