// Runs the test suite (already built) on one Node release line:
//   node scripts/test-node.js 24 [--coverage]
// The suite's mocha, its children and the plugins it starts all run on that
// line's binary: it comes first on PATH, and children fork process.execPath.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { LINES, nodeBinary } from './node-line.js';

const [major = process.versions.node.split('.')[0], ...flags] = process.argv.slice(2);
if (!/^\d+$/.test(major)) {
  console.error(`usage: npm run test:node -- <major> [--coverage]   (a major version such as ${LINES.join(', ')})`);
  process.exit(2);
}
const binary = nodeBinary(major);
const command = flags.includes('--coverage') ? ['c8', 'mocha'] : ['mocha'];
const child = spawn('npx', ['--no-install', ...command], {
  stdio: 'inherit',
  env: { ...process.env, PATH: `${path.dirname(binary)}${path.delimiter}${process.env.PATH}` },
});
// Node gives a code or a signal: a line killed by a signal fails.
child.on('exit', (code) => process.exit(code ?? 128));
