import { existsSync, readdirSync, readlinkSync } from 'node:fs';
import { appendFile, mkdir, mkdtemp, realpath, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { LogFollower, type LogFollowerOptions } from 'jailthread/jails/log';

const timeouts = (): number => process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;

/** Whether this process has `path` open; undefined where /proc/self/fd does not exist (outside Linux). */
const hasOpen = (path: string): boolean | undefined => {
  if (!existsSync('/proc/self/fd')) return undefined;
  return readdirSync('/proc/self/fd').some((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === path;
    } catch {
      return false; // closed since the listing
    }
  });
};

describe('log jail: LogFollower', () => {
  let dir: string;
  let log: string;
  let lines: string[];
  let errors: Error[];
  const followers: LogFollower[] = [];

  /** A follower of `log` that collects into `lines` and `errors`, closed after the test. */
  const follow = (options: Partial<LogFollowerOptions> = {}): LogFollower => {
    const follower = new LogFollower(log, {
      onLine: (line) => lines.push(line),
      onError: (error) => errors.push(error),
      ...options,
    });
    followers.push(follower);
    return follower;
  };

  beforeEach(async () => {
    // Real path: /proc/self/fd links resolve symbolic links (macOS's /tmp is one).
    dir = await realpath(await mkdtemp(join(tmpdir(), 'jailthread-follow-')));
    log = join(dir, 'auth.log');
    lines = [];
    errors = [];
  });

  afterEach(async () => {
    await Promise.all(followers.splice(0).map((follower) => follower.close()));
    await rm(dir, { recursive: true, force: true });
  });

  it('emits each complete line once, holding a partial line until its newline arrives', async () => {
    const follower = follow();
    await writeFile(log, 'one\ntw');
    await follower.poll();
    expect(lines).to.deep.equal(['one']);
    await appendFile(log, 'o\nthr');
    await follower.poll();
    await follower.poll();
    expect(lines).to.deep.equal(['one', 'two']);
    await appendFile(log, 'ee\n\nfour\n');
    await follower.poll();
    expect(lines).to.deep.equal(['one', 'two', 'three', '', 'four']);
    expect(errors).to.deep.equal([]);
  });

  it('keeps a character split between two appends whole, and drops the \\r of a CRLF line', async () => {
    const follower = follow();
    const accented = Buffer.from('café\r\n');
    await writeFile(log, accented.subarray(0, 4));
    await follower.poll();
    await appendFile(log, accented.subarray(4));
    await follower.poll();
    expect(lines).to.deep.equal(['café']);
  });

  it('reads a file longer than one read', async () => {
    const follower = follow();
    const many = Array.from({ length: 5000 }, (_, i) => `line ${i} ${'x'.repeat(i % 50)}`);
    await writeFile(log, `${many.join('\n')}\n`);
    await follower.poll();
    expect(lines).to.deep.equal(many);
  });

  it('waits for a missing file, without an error, and reads it from its start once it appears', async () => {
    const follower = follow({ from: 'end' });
    await follower.poll();
    await follower.poll();
    expect(errors).to.deep.equal([]);
    await writeFile(log, 'first\nsecond\n');
    await follower.poll();
    expect(lines, "from: 'end' is only for the file there at the first poll").to.deep.equal(['first', 'second']);
  });

  it("from: 'end' skips the lines there at the first poll, including one still being written", async () => {
    await writeFile(log, 'old\nhalf');
    const follower = follow({ from: 'end' });
    await follower.poll();
    await appendFile(log, ' a line\nnew\n');
    await follower.poll();
    expect(lines).to.deep.equal(['new']);
  });

  it("from: 'end' on a file that ends with a newline emits the next line", async () => {
    await writeFile(log, 'old\n');
    const follower = follow({ from: 'end' });
    await follower.poll();
    await appendFile(log, 'new\n');
    await follower.poll();
    expect(lines).to.deep.equal(['new']);
  });

  it('restarts at 0 when the file is truncated, dropping the partial line held', async () => {
    const follower = follow();
    await writeFile(log, 'one\ntwo\npart');
    await follower.poll();
    await writeFile(log, 'x\n');
    await follower.poll();
    expect(lines).to.deep.equal(['one', 'two', 'x']);
  });

  it('on rename rotation, reads the rest of the old file, then the new file from its start', async () => {
    const follower = follow();
    await writeFile(log, 'a\n');
    await follower.poll();
    await appendFile(log, 'b\n');
    await rename(log, `${log}.1`);
    // Written after the rename: a daemon keeps writing to the old file until told to reopen.
    await appendFile(`${log}.1`, 'c\ncut-off');
    await writeFile(log, 'd\n');
    await follower.poll();
    expect(lines).to.deep.equal(['a', 'b', 'c', 'd']);
    await appendFile(log, 'e\n');
    await follower.poll();
    expect(lines).to.deep.equal(['a', 'b', 'c', 'd', 'e']);
  });

  it('rotation to a file as long as the old one is still seen (by inode, not size)', async () => {
    const follower = follow();
    await writeFile(log, 'old 1\nold 2\n');
    await follower.poll();
    await rename(log, `${log}.1`);
    await writeFile(log, 'new 1\nnew 2\nnew 3\n');
    await follower.poll();
    expect(lines).to.deep.equal(['old 1', 'old 2', 'new 1', 'new 2', 'new 3']);
  });

  it('when the file vanishes, reads its rest, waits, then reads the one that reappears from its start', async () => {
    const follower = follow();
    await writeFile(log, 'a\n');
    await follower.poll();
    await appendFile(log, 'b\n');
    await unlink(log);
    await follower.poll();
    expect(lines).to.deep.equal(['a', 'b']);
    await follower.poll();
    await writeFile(log, 'c\n');
    await follower.poll();
    expect(lines).to.deep.equal(['a', 'b', 'c']);
    // Deleted and recreated between two polls: another file all the same.
    await unlink(log);
    await writeFile(log, 'd\n');
    await follower.poll();
    expect(lines).to.deep.equal(['a', 'b', 'c', 'd']);
    expect(errors).to.deep.equal([]);
  });

  it('runs concurrent polls one at a time: each line once, and a poll sees what was written before it', async () => {
    const follower = follow();
    await writeFile(log, 'a\n');
    await follower.poll();
    await appendFile(log, 'b\nc\n');
    const first = follower.poll();
    await appendFile(log, 'd\n');
    await Promise.all([first, follower.poll(), follower.poll()]);
    expect(lines).to.deep.equal(['a', 'b', 'c', 'd']);
    await appendFile(log, 'e\nf\n');
    await Promise.all([follower.poll(), follower.poll(), follower.poll()]);
    expect(lines).to.deep.equal(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('start() polls now and then every interval', async () => {
    let arrived: (line: string) => void = () => undefined;
    const next = () => new Promise<string>((resolve) => (arrived = resolve));
    const follower = follow({ interval: 5, onLine: (line) => arrived(line) });
    await writeFile(log, 'first\n');
    const first = next();
    follower.start();
    follower.start();
    expect(await first).to.equal('first');
    const second = next();
    await appendFile(log, 'second\n');
    expect(await second).to.equal('second');
  });

  it('close() clears the timer and the file, and no callback fires after it', async () => {
    await writeFile(log, 'a\n');
    // Counted after an await: mocha starts the test's own timeout timer once the test function returns.
    const before = timeouts();
    const follower = follow({ interval: 60_000 });
    follower.start();
    await follower.poll();
    expect(timeouts(), 'the test sees the timer').to.equal(before + 1);
    const opened = hasOpen(log);
    await follower.close();
    expect(timeouts()).to.equal(before);
    if (opened !== undefined)
      expect([opened, hasOpen(log)], 'the file, open before, is closed').to.deep.equal([true, false]);
    await appendFile(log, 'b\n');
    await follower.poll();
    expect(lines).to.deep.equal(['a']);
    expect(() => follower.start()).to.throw(Error, /is closed/);
    expect(follower.close(), 'closing again is the same').to.equal(follower.close());
  });

  it('a poll queued before close() reads nothing', async () => {
    await writeFile(log, 'a\n');
    const follower = follow();
    const polling = follower.poll();
    await follower.close();
    await polling;
    expect(lines).to.deep.equal([]);
  });

  it('close() during a poll waits for it, and the poll emits nothing more', async () => {
    await writeFile(log, 'a\nb\n');
    const settled: string[] = [];
    let closing: Promise<void> | undefined;
    const follower = follow({
      onLine: (line) => {
        lines.push(line);
        closing ??= follower.close().then(() => void settled.push('close'));
      },
    });
    await follower.poll().then(() => void settled.push('poll'));
    await closing;
    expect(lines).to.deep.equal(['a']);
    expect(settled).to.deep.equal(['poll', 'close']);
  });

  it('passes what onLine throws to onError, and goes on with the next line', async () => {
    const follower = follow({
      onLine: (line) => {
        if (line === 'bad') throw new Error('onLine failed');
        lines.push(line);
      },
    });
    await writeFile(log, 'one\nbad\ntwo\n');
    await follower.poll();
    expect(lines).to.deep.equal(['one', 'two']);
    expect(errors.map((error) => error.message)).to.deep.equal(['onLine failed']);
  });

  it('reports a file-system error once, not at every poll', async () => {
    await mkdir(log);
    const follower = follow();
    await follower.poll();
    await follower.poll();
    expect(errors).to.have.length(1);
    expect((errors[0] as NodeJS.ErrnoException).code).to.equal('EISDIR');
  });

  it('rejects a bad interval or from', () => {
    const onLine = () => undefined;
    expect(() => new LogFollower(log, { onLine, interval: 0 })).to.throw(RangeError, /interval/);
    expect(() => new LogFollower(log, { onLine, from: 'middle' as 'end' })).to.throw(RangeError, /from/);
  });
});
