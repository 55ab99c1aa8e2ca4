// Runs the suite on every supported Node line in turn (coverage on this
// Node's own), prints one "Node X: N passed, N failed" line per line, then
// the summed closing line that CI reads.
import { spawn } from 'node:child_process';
import { LINES } from './node-line.js';

// A leaked child would keep one line's mocha waiting; the cap keeps the run finite.
const LINE_TIMEOUT_MS = 10 * 60_000;
const SUMMARY = /^(\d+) passed, (\d+) failed/;
const own = process.versions.node.split('.')[0];
const lines = process.argv.length > 2 ? process.argv.slice(2) : LINES;

function runLine(major) {
  return new Promise((resolve) => {
    const flags = major === own ? ['--coverage'] : [];
    const child = spawn(process.execPath, ['scripts/test-node.js', major, ...flags], {
      stdio: ['ignore', 'pipe', 'inherit'],
      detached: true,
    });
    let summary;
    let version;
    let rest = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      const text = rest + chunk.toString();
      const parts = text.split('\n');
      rest = parts.pop() ?? '';
      for (const line of parts) {
        const match = SUMMARY.exec(line);
        if (match) summary = { passed: Number(match[1]), failed: Number(match[2]) };
        const node = /^Node (v\d+\.\d+\.\d+)$/.exec(line);
        if (node) version = node[1];
      }
    });
    // Its own process group, so a timeout ends every process it started;
    // Ctrl-C, which reaches only ours, is passed on.
    const interrupt = () => process.kill(-child.pid, 'SIGINT');
    process.once('SIGINT', interrupt);
    const timer = setTimeout(() => {
      process.stderr.write(`Node ${major}: the suite ran past ${LINE_TIMEOUT_MS / 60_000} min; ended.\n`);
      process.kill(-child.pid, 'SIGKILL');
    }, LINE_TIMEOUT_MS);
    child.on('exit', (code) => {
      clearTimeout(timer);
      process.off('SIGINT', interrupt);
      // A line whose run ended without its summary counts as one failure.
      const counted = summary ?? { passed: 0, failed: 1 };
      if (code !== 0 && counted.failed === 0) counted.failed = 1;
      resolve({ major, version: version ?? `${major}.x`, ...counted });
    });
  });
}

const results = [];
for (const major of lines) results.push(await runLine(major));
console.log();
for (const { version, passed, failed } of results) console.log(`Node ${version}: ${passed} passed, ${failed} failed`);
const passed = results.reduce((sum, r) => sum + r.passed, 0);
const failed = results.reduce((sum, r) => sum + r.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
