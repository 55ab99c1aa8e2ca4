// Keeps only the declarations a user's compiler can reach from the package's
// `types` entry: the CLI's and the protocol's own modules are internal, and
// shipping them would make them look like API.
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Relative specifiers of `import`/`export ... from` and `import('...')` types.
const RELATIVE = /(?:\bfrom\s*|\bimport\s*\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g;

/** The .d.ts files reachable from `entry` through relative imports. */
async function reachable(entry) {
  const seen = new Set();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    const text = await readFile(file, 'utf8');
    for (const [, specifier] of text.matchAll(RELATIVE)) {
      pending.push(path.resolve(path.dirname(file), specifier.replace(/\.js$/, '.d.ts')));
    }
  }
  return seen;
}

async function removeUnreached(dir, keep) {
  const entries = await readdir(dir, { withFileTypes: true });
  let left = 0;
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) left += await removeUnreached(full, keep);
    else if (keep.has(full)) left += 1;
    else await rm(full);
  }
  if (left === 0) await rm(dir, { recursive: true });
  return left;
}

/**
 * Deletes the declarations under the entry's types folder that `entryUrl`
 * (or one of `otherEntryUrls`, the other package exports) does not reach, and makes the entry load Node's types: the classes extend
 * node:events' EventEmitter, and a project made by `tsc --init` has
 * `"types": []`, so without the reference `thread.on()` would not exist there.
 */
export async function keepPublicDeclarations(entryUrl, ...otherEntryUrls) {
  const entry = fileURLToPath(entryUrl);
  const root = path.resolve(path.dirname(entry), '..');
  const keep = await reachable(entry);
  for (const other of otherEntryUrls) for (const file of await reachable(fileURLToPath(other))) keep.add(file);
  await removeUnreached(root, keep);
  const text = await readFile(entry, 'utf8');
  await writeFile(entry, `/// <reference types="node" />\n${text}`);
}
