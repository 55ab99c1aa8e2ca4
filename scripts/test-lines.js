// Runs the suite on every supported Node line in turn (coverage on this
// Node's own), prints one "Node X: N passed, N failed" line per line, then
// the summed closing line that CI reads.
import { spawn } from 'node:child_process';
import { LINES } from './node-line.js';

// A leaked child would keep one line's mocha waiting; the cap keeps the run
// finite. Four lines of it stay under .ci/run's overall cap.
const LINE_TIMEOUT_MS = 8 * 60_000;
const SUMMARY = /^(\d+) passed, (\d+) failed/;
const own = process.versions.node.split('.')[0];
const lines = process.argv.length > 2 ? process.argv.slice(2) : LINES;

let current;
let stopping = false;
// Each line runs in its own process group, so ending it ends every process it
// started; a signal to this script ends the line that runs and the rest.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    stopping = true;
    if (current !== undefined) killGroup(current, 'SIGKILL');
  });
}

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is gone already.
  }
}

function runLine(major) {
  return new Promise((resolve) => {
    const flags = major === own ? ['--coverage'] : [];
    const child = spawn(process.execPath, ['scripts/test-node.js', major, ...flags], {
      stdio: ['ignore', 'pipe', 'inherit'],
      detached: true,
    });
    current = child;
    let summary;
    let version;
    let code;
    let rest = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      const parts = (rest + chunk.toString()).split('\n');
      rest = parts.pop() ?? '';
      for (const line of parts) {
        const match = SUMMARY.exec(line);
        if (match) summary = { passed: Number(match[1]), failed: Number(match[2]) };
        const node = /^Node (v\d+\.\d+\.\d+)$/.exec(line);
        if (node) version = node[1];
      }
    });
    const timer = setTimeout(() => {
      process.stderr.write(`Node ${major}: the suite ran past ${LINE_TIMEOUT_MS / 60_000} min; ended.\n`);
      killGroup(child, 'SIGKILL');
    }, LINE_TIMEOUT_MS);
    child.on('exit', (exitCode) => {
      code = exitCode;
      clearTimeout(timer);
      // Whatever the line left running (its stdout open, a leaked child) ends with it.
      killGroup(child, 'SIGKILL');
    });
    // 'close': its output has been read to the end, summary included.
    child.on('close', () => {
      // A line whose run ended without its summary, or failed without saying so, counts one failure.
      const counted = summary ?? { passed: 0, failed: 1 };
      if (code !== 0 && counted.failed === 0) counted.failed = 1;
      resolve({ version: version ?? `${major}.x`, ...counted });
    });
  });
}

const results = [];
for (const major of lines) {
  if (stopping) break;
  results.push(await runLine(major));
}
console.log();
for (const { version, passed, failed } of results) console.log(`Node ${version}: ${passed} passed, ${failed} failed`);
const passed = results.reduce((sum, r) => sum + r.passed, 0);
const failed = results.reduce((sum, r) => sum + r.failed, 0) + (stopping ? 1 : 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(stopping ? 130 : failed === 0 ? 0 : 1);
