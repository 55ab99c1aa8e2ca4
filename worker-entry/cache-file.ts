import {
  closeSync,
  constants,
  fstatSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';

// One file of V8's code cache: what it holds runs as code in every thread's
// child, so it is read only from a folder and a file that are this user's
// alone, without following a link, and only as large as such a file can be.
// V8 checks the data's version, flags and length, but not its bytes in a
// release build, and damaged bytes crash the child as it compiles, at every
// start; Node's own checksums (zlib, crypto) cost a child 1-3 ms to load. So
// the file holds the data twice, and a read compares the copies (a memcmp,
// ~0.1 ms): a damaged file is refused, and the start that refused it writes it anew.

const MAGIC = Buffer.from('JTC1');
const HEADER = MAGIC.length + 4;
/** A file larger than this was not written here (the library's data is ~250 KB, twice). */
const MAX_FILE_BYTES = 32 * 2 ** 20;
/** Kept in the folder at most: each Node line, library build and set of V8 flags has its own. */
export const MAX_ENTRIES = 16;
/** A temporary file older than this was left by a child killed while writing it. */
const STALE_TEMPORARY_MS = 60_000;
const TEMPORARY = /\.v8\.tmp-\d+-[a-z0-9]+$/;

/** The folder is a directory of this user's that nobody else can write: otherwise nothing is read from it or written to it. */
function owned(folder: string): boolean {
  try {
    const stats = lstatSync(folder);
    return stats.isDirectory() && ownedByMe(stats.uid) && (stats.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

const ownedByMe = (uid: number): boolean => process.getuid === undefined || uid === process.getuid();

function readWhole(fd: number, size: number): Buffer {
  const bytes = Buffer.allocUnsafe(size);
  let at = 0;
  while (at < size) {
    const read = readSync(fd, bytes, at, size - at, at);
    if (read === 0) break;
    at += read;
  }
  return at === size ? bytes : Buffer.alloc(0);
}

/** The data kept in `file`, if its folder and the file are this user's and its two copies agree; otherwise undefined. */
export function readCache(file: string): Buffer | undefined {
  if (!owned(path.dirname(file))) return undefined;
  let fd: number;
  try {
    // Not a link (to /dev/zero, say), and a FIFO does not block the open.
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile() || !ownedByMe(stats.uid) || stats.size < HEADER + 2 || stats.size > MAX_FILE_BYTES)
      return undefined;
    const bytes = readWhole(fd, stats.size);
    if (bytes.length !== stats.size || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
    const length = bytes.readUInt32LE(MAGIC.length);
    if (HEADER + 2 * length !== bytes.length) return undefined;
    const data = bytes.subarray(HEADER, HEADER + length);
    return data.equals(bytes.subarray(HEADER + length)) ? data : undefined;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes `data` as `file`: into a new temporary file of this user's only,
 * synced to the disk before it is renamed over the old one, so a crash leaves
 * the old file or the new one, whole. Then leaves the folder at most
 * MAX_ENTRIES files, the most recently written. Throws what stopped it.
 */
export function writeCache(file: string, data: Buffer): void {
  const folder = path.dirname(file);
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  if (!owned(folder)) throw new Error(`${folder} is not this user's alone`);
  const length = Buffer.alloc(4);
  length.writeUInt32LE(data.length);
  const temporary = `${file}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    for (const part of [MAGIC, length, data, data]) {
      for (let at = 0; at < part.length; ) at += writeSync(fd, part, at);
    }
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    unlinkSync(temporary);
    throw error;
  }
  closeSync(fd);
  try {
    renameSync(temporary, file);
  } catch (error) {
    unlinkSync(temporary);
    throw error;
  }
  tidy(folder);
}

/** Leaves the newest MAX_ENTRIES cache files, and no temporary file older than a minute. */
function tidy(folder: string): void {
  const now = Date.now();
  const kept: { name: string; at: number }[] = [];
  for (const name of readdirSync(folder)) {
    const file = path.join(folder, name);
    try {
      const { mtimeMs } = statSync(file);
      if (TEMPORARY.test(name)) {
        if (now - mtimeMs > STALE_TEMPORARY_MS) unlinkSync(file);
      } else if (name.endsWith('.v8')) {
        kept.push({ name, at: mtimeMs });
      }
    } catch {
      // Removed meanwhile by another child tidying the same folder.
    }
  }
  kept.sort((a, b) => b.at - a.at);
  for (const { name } of kept.slice(MAX_ENTRIES)) {
    try {
      unlinkSync(path.join(folder, name));
    } catch {
      // Likewise.
    }
  }
}
