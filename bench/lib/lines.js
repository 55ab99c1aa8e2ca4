// The per-line rows: bench/start-rows.js run on each supported Node line,
// each in its own process, by `npm run bench` (which writes them into
// docs/benchmarks.md) and `npm run bench:lines` (which only prints them).
import { execFile as execFileCb } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { LINES, nodeBinary } from '../../scripts/node-line.js';

const execFile = promisify(execFileCb);
const script = fileURLToPath(new URL('../start-rows.js', import.meta.url));

/**
 * Runs the start rows on every supported line, or on this Node alone for a
 * smoke run (which must not fetch other lines' binaries). The lines run in
 * the environment the caller settled (see environment.js), as it chose.
 */
export async function measureLines({ rounds, smoke, envAsIs }) {
  const args = [...(smoke ? ['--smoke'] : ['--rounds', String(rounds)]), ...(envAsIs ? ['--env-as-is'] : [])];
  const binaries = smoke ? [process.execPath] : LINES.map((major) => nodeBinary(major));
  const results = [];
  for (const binary of binaries) {
    const { stdout } = await execFile(binary, [script, ...args], { maxBuffer: 2 ** 20 });
    results.push(JSON.parse(stdout));
  }
  return results;
}

const ms = (value) => (value < 1 ? `${(value * 1000).toFixed(0)} µs` : `${value.toFixed(2)} ms`);
const ratio = (row) => (row.jailthread / row['raw fork']).toFixed(2);
const pair = (row, format = ms) => `${format(row.jailthread)} / ${format(row['raw fork'])}, ×${ratio(row)}`;
const mib = (value) => `${value.toFixed(1)} MiB`;
const scaleRow = (rows) => Object.keys(rows).find((name) => name.endsWith('threads: wall time'));

/** One table row per line: each target row, ours against a raw fork, with the ratio. */
export function linesTable(results) {
  const scale = scaleRow(results[0].rows);
  return [
    `| Node | cold start | warm start | warm start, preloaded | first 50 round trips | steady round trip | stop (asleep 60 s) | PSS per idle thread | ${scale} |`,
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...results.map(
      ({ node, rows }) =>
        `| ${node} | ${pair(rows['cold start'])} | ${ms(rows['warm start'].jailthread)} | ${ms(rows['warm start (preloaded)'].jailthread)} | ${pair(rows['first 50 round trips (mean)'])} | ${pair(rows['steady round trip'])} | ${pair(rows['stop (asleep for 60 s)'])} | ${pair(rows['memory per idle thread (PSS, MiB)'], mib)} | ${pair(rows[scale])} |`,
    ),
  ];
}
