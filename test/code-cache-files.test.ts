import {
  chmodSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { entries, folderOf, freshHomes, startAnswerStop } from './code-cache-home.js';

// What the code cache's file holds runs in every thread's child: these are
// the ways a file or folder that is not what the child wrote is refused.
describe('code cache: its files and folder', () => {
  const home = freshHomes();
  const keptFile = async (): Promise<string> => {
    await startAnswerStop(home());
    const [kept] = entries(home());
    return path.join(folderOf(home()), kept as string);
  };

  it('damaged bytes in the data (not its header, which V8 checks) are refused, and the file is written anew', async () => {
    const file = await keptFile();
    const bytes = readFileSync(file);
    // Past the 8-byte header and V8's own 64: bytes V8 would compile from, and crash on.
    for (let at = 200; at < 220; at++) bytes[at] = (bytes[at] as number) ^ 0xff;
    writeFileSync(file, bytes);
    await startAnswerStop(home());
    expect(readFileSync(file).equals(bytes)).to.equal(false);
  });

  it('a link in the file’s place is not followed: the start writes a file of its own there', async () => {
    const file = await keptFile();
    const elsewhere = path.join(home(), 'elsewhere.v8');
    renameSync(file, elsewhere);
    symlinkSync(elsewhere, file);
    await startAnswerStop(home());
    expect(lstatSync(file).isFile()).to.equal(true);
  });

  it('a folder that others may write is neither read nor written', async () => {
    mkdirSync(folderOf(home()), { recursive: true });
    chmodSync(folderOf(home()), 0o777);
    await startAnswerStop(home());
    expect(readdirSync(folderOf(home()))).to.deep.equal([]);
  });

  it('keeps the 16 files written last, and removes a temporary file a killed child left over a minute ago', async () => {
    mkdirSync(folderOf(home()), { recursive: true, mode: 0o700 });
    const old = Array.from({ length: 20 }, (_, n) => `jailthread.cjs-${n}-old.v8`);
    for (const [n, name] of old.entries()) {
      const file = path.join(folderOf(home()), name);
      writeFileSync(file, 'old');
      utimesSync(file, 1000 + n, 1000 + n);
    }
    const stale = path.join(folderOf(home()), 'jailthread.cjs-x.v8.tmp-1-abc');
    const fresh = path.join(folderOf(home()), 'jailthread.cjs-x.v8.tmp-2-abc');
    writeFileSync(stale, '');
    utimesSync(stale, 1000, 1000);
    writeFileSync(fresh, '');
    await startAnswerStop(home());
    const left = readdirSync(folderOf(home()));
    expect(left.filter((name) => name.endsWith('.v8'))).to.have.length(16);
    // The newest: the one just written, and the 15 newest of the old.
    expect(left).to.include.members(old.slice(5));
    expect(left).to.include(path.basename(fresh)).and.not.include(path.basename(stale));
    expect(statSync(fresh).size).to.equal(0);
  });

  it('a cache home that cannot be written (a file, not a folder) costs the start nothing but the cache', async () => {
    const file = path.join(home(), 'not-a-folder');
    writeFileSync(file, '');
    await startAnswerStop(file);
    expect(readdirSync(home())).to.deep.equal(['not-a-folder']);
  });
});
