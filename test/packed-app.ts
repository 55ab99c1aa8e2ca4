// The package as a user gets it, shared by the test files that need it: packed
// once per run from what a clone holds (so `prepare` must build dist/), then
// installed into apps made by `npm init`, with zod and @types/node, and the
// settings `tsc --init` writes. Installs come from the npm cache, at the
// versions this repository uses.
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const root = fileURLToPath(new URL('../../', import.meta.url));
export const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
/** The version of a dependency this repository has installed. */
export const versionOf = async (name: string): Promise<string> =>
  JSON.parse(await readFile(path.join(root, 'node_modules', name, 'package.json'), 'utf8')).version;

// Without coverage of npm, esbuild, tsc and the apps when the suite runs under c8.
const { NODE_V8_COVERAGE: _, ...env } = process.env;

/** Runs a command; on failure the error carries its whole output, so the test's message shows it. */
export async function sh(cwd: string, file: string, args: string[]): Promise<string> {
  try {
    return (await run(file, args, { cwd, env, maxBuffer: 16 * 2 ** 20 })).stdout;
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${file} ${args.join(' ')} failed in ${cwd}:\n${stdout ?? ''}${stderr ?? ''}`);
  }
}

export interface Packed {
  /** The folder holding the tarball and the apps; removed when the test process exits. */
  dir: string;
  tarball: string;
  files: { path: string }[];
}

let packing: Promise<Packed> | undefined;

async function pack(): Promise<Packed> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'jailthread-package-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const clone = path.join(dir, 'clone');
  const listed = await sh(root, 'git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard']);
  for (const file of listed.split('\0').filter(Boolean)) {
    // A file deleted in the work tree is still listed by --cached.
    await cp(path.join(root, file), path.join(clone, file)).catch(() => undefined);
  }
  await symlink(path.join(root, 'node_modules'), path.join(clone, 'node_modules'));
  const json = await sh(clone, 'npm', ['pack', '--json', '--pack-destination', dir, '--foreground-scripts=false']);
  const [{ filename, files }] = JSON.parse(json.slice(json.indexOf('['))) as [
    { filename: string; files: Packed['files'] },
  ];
  return { dir, tarball: path.join(dir, filename), files };
}

/** The package packed from a clone's files, once per test process. */
export const packed = (): Promise<Packed> => {
  packing ??= pack();
  return packing;
};

/** A fresh app named `name` beside the tarball: `npm init`, ESM, the package, zod and @types/node, `tsc --init`. */
export async function freshApp(name: string): Promise<string> {
  const { dir, tarball } = await packed();
  const app = path.join(dir, name);
  await mkdir(app);
  await sh(app, 'npm', ['init', '-y']);
  await sh(app, 'npm', ['pkg', 'set', 'type=module']);
  const deps = [`zod@${await versionOf('zod')}`, `@types/node@${await versionOf('@types/node')}`];
  await sh(app, 'npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball, ...deps]);
  await sh(app, process.execPath, [tsc, '--init']);
  return app;
}
