// npm run bench [-- --rounds N] [-- --smoke] [-- --env-as-is]: every system on
// the same trivial thread (start, answer messages, stop), interleaved round by
// round so drift hits all alike, medians after a warm-up. --smoke: 2 rounds, a
// small scale row, nothing written (npm test runs it so the benchmark cannot
// rot). --env-as-is: keep variables that slow every Node start (see
// lib/environment.js).
import { execFile as execFileCb } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { settleEnvironment } from './lib/environment.js';
import { linesTable, measureLines } from './lib/lines.js';
import { steadyRoundTrip, timedStart, timedStop } from './lib/measure.js';
import { memoryOf } from './lib/memory.js';
import { machine, markdown, summarize, svg, table } from './lib/report.js';
import { measureScale } from './lib/scale.js';
import { execa } from './systems/execa.js';
import { jailthread, jailthreadPreloaded, jailthreadWarm } from './systems/jailthread.js';
import { jestWorker, tinypool, workerpoolProcess } from './systems/pools.js';
import { rawFork } from './systems/raw-fork.js';
import { workerThreads } from './systems/worker-threads.js';

const execFile = promisify(execFileCb);
const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '20' },
    smoke: { type: 'boolean', default: false },
    'env-as-is': { type: 'boolean', default: false },
  },
});
const smoke = values.smoke;
const rounds = smoke ? 2 : Number(values.rounds);
const WARMUP = smoke ? 1 : 3;
// Round trips run this library's frames, zod and channel code: V8 needs a few
// thousand before that code is optimised, so fewer would time the JIT warming up.
const WARM_TRIPS = smoke ? 20 : 3000;
const TRIPS = smoke ? 20 : 200;
const BURST = smoke ? 200 : 5000;
const PAYLOAD = 'x'.repeat(1024);
const SCALE = smoke ? 10 : 200;
const SCALE_ROUNDS = smoke ? 1 : 5;
const notes = await settleEnvironment(values['env-as-is']);

// Every row, in the order it appears, with its unit and which way is better.
const rows = {};
for (const [name, unit, better = 'lower'] of [
  ['1. cold start', 'ms'],
  ['2. warm start', 'ms'],
  ['3. stop (asleep for 60 s)', 'ms'],
  ['4. control round trip', 'ms'],
  ['5a. 1 KiB messages to the child', 'msg/s', 'higher'],
  ['5b. 1 KiB messages to the host', 'msg/s', 'higher'],
  ['6a. memory per idle thread (PSS)', 'MiB'],
  ['6b. memory per idle thread (RSS)', 'MiB'],
  ['7a. 200 threads: wall time', 'ms'],
  ['7b. 200 threads: peak host RSS', 'MiB'],
  ['8a. host cost: import time', 'ms'],
  ['8b. host cost: import memory', 'MiB'],
]) {
  rows[name] = { unit, better, samples: new Map() };
}
const record = (name, system, value) => {
  const row = rows[name];
  if (row === undefined) throw new Error(`bench: no row named ${JSON.stringify(name)}`);
  if (!row.samples.has(system)) row.samples.set(system, []);
  row.samples.get(system).push(value);
};

const systems = [
  rawFork,
  jailthread,
  jailthreadWarm,
  jailthreadPreloaded,
  execa,
  tinypool,
  workerpoolProcess,
  jestWorker,
  workerThreads,
];

async function measure(system, round) {
  await system.prepare?.();
  const { handle, started } = await timedStart(system);
  if (system.startRow) {
    // A system measured for its start alone: nothing else of it is recorded.
    await system.stop(handle);
    await system.finish?.();
    if (round >= WARMUP) record(system.startRow, system.name, started);
    return;
  }
  // Memory while idle: after one round trip, before the traffic below grows the heap.
  await system.roundTrip(handle);
  const memory = system.pid ? memoryOf(system.pid(handle)) : undefined;
  const steady = await steadyRoundTrip(system, handle, WARM_TRIPS, TRIPS);
  const results = [];
  if (system.toChild) {
    // One unmeasured burst each way first, for the reason of WARM_TRIPS.
    await system.toChild(handle, BURST, PAYLOAD);
    await system.toHost(handle, BURST);
    let t = performance.now();
    await system.toChild(handle, BURST, PAYLOAD);
    results.push(['5a. 1 KiB messages to the child', BURST / ((performance.now() - t) / 1000)]);
    t = performance.now();
    await system.toHost(handle, BURST);
    results.push(['5b. 1 KiB messages to the host', BURST / ((performance.now() - t) / 1000)]);
  }
  if (memory !== undefined) {
    results.push(['6a. memory per idle thread (PSS)', memory.pss], ['6b. memory per idle thread (RSS)', memory.rss]);
  }
  const stopped = await timedStop(system, handle);
  await system.finish?.();
  if (round < WARMUP) return;
  record('1. cold start', system.name, started);
  record('3. stop (asleep for 60 s)', system.name, stopped);
  record('4. control round trip', system.name, steady);
  for (const [name, value] of results) record(name, system.name, value);
}

let python = true;
async function measurePython(round) {
  if (!python) return;
  try {
    const script = fileURLToPath(new URL('./python/mp.py', import.meta.url));
    const { stdout } = await execFile('python3', [script, String(WARM_TRIPS), String(TRIPS)]);
    if (round < WARMUP) return;
    for (const line of stdout.trim().split('\n')) {
      const { method, cold, rtt, stop } = JSON.parse(line);
      const name = `python multiprocessing (${method})`;
      record(method === 'forkserver' ? '2. warm start' : '1. cold start', name, cold);
      if (method === 'forkserver') record('1. cold start', name, cold);
      record('3. stop (asleep for 60 s)', name, stop);
      record('4. control round trip', name, rtt);
    }
  } catch (error) {
    python = false;
    notes.push(
      `Python multiprocessing skipped: ${error.code === 'ENOENT' ? 'python3 is not installed' : error.message}.`,
    );
  }
}

/** Row 7: SCALE threads started together, all running, then all stopped. */
async function recordScale(system) {
  const { wall, peakRssMb } = await measureScale(system, SCALE);
  record('7a. 200 threads: wall time', system.name, wall);
  record('7b. 200 threads: peak host RSS', system.name, peakRssMb);
}

/** Row 8: a fresh Node process importing the module, against Node alone. */
async function measureImport() {
  const script = fileURLToPath(new URL('./import-cost.js', import.meta.url));
  for (const [name, what] of [
    ['Node alone (imports nothing)', 'nothing'],
    ['jailthread', 'jailthread'],
    ['execaNode', 'execa'],
  ]) {
    const { stdout } = await execFile(process.execPath, [script, what], {
      cwd: fileURLToPath(new URL('.', import.meta.url)),
    });
    const { ms, rssMb } = JSON.parse(stdout);
    record('8a. host cost: import time', name, ms);
    record('8b. host cost: import memory', name, rssMb);
  }
}

for (let round = 0; round < WARMUP + rounds; round++) {
  // Rotated each round, so no system always follows the same neighbour's teardown.
  const order = systems.map((_, i) => systems[(i + round) % systems.length]);
  for (const system of order) await measure(system, round);
  await measurePython(round);
  if (round >= WARMUP) await measureImport();
}
for (let round = 0; round < SCALE_ROUNDS; round++) {
  for (const system of round % 2 === 0 ? [rawFork, jailthread] : [jailthread, rawFork]) await recordScale(system);
}
// The rows the start-up targets name, on every supported line (this Node's alone for a smoke run).
const lines = linesTable(await measureLines({ rounds, smoke, envAsIs: values['env-as-is'] }));

notes.push(
  'Row 8 has no ratio: its baseline is a host that imports nothing.',
  `Row 7 runs ${SCALE_ROUNDS} rounds of ${SCALE} threads per system; the other rows run ${rounds}.`,
  'Pools have no thread to start: their start is a one-worker pool answering its first task, a round trip is one more task, and stop destroys the pool.',
  "Python's forkserver appears in row 2 as well: its server is running when each start is measured.",
  `Row 4 is the median of ${TRIPS} round trips per thread, after ${WARM_TRIPS} unmeasured ones.`,
  `Rows 5a and 5b time one burst of ${BURST} messages each way per thread, after an unmeasured one.`,
);

const summary = summarize(rows);
const meta = { machine: machine(), rounds, warmup: WARMUP, date: new Date().toISOString() };
console.log(`${meta.machine.cores} cores, Node ${meta.machine.node}, ${rounds} rounds`);
console.log(table(summary));
console.log(lines.join('\n'));
for (const note of notes) console.log(`note: ${note}`);
if (!smoke) {
  const results = { ...meta, notes, rows: summary };
  await writeFile(new URL('./results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
  // What profiling found and what was tried, kept with the figures it explains.
  const findings = await readFile(new URL('./start-findings.md', import.meta.url), 'utf8');
  const perLine = [
    '## Every Node line',
    '',
    `\`bench/start-rows.js\` on each supported line, ${rounds} rounds after 3 of warm-up, this library against a raw \`child_process.fork\` of the same trivial child (with its default serialization, as users fork), interleaved round by round, the thread's module in an app of its own that has the library under \`node_modules\` through a symlink (as npm link, workspaces and pnpm install it); a preloaded warm start adopts a spare made by \`Trivial.prewarm()\`, which imported the module before it was ready; medians, ours / raw. A round trip is \`getStatus()\` against a message the raw child answers; the first 50 are those of a fresh thread, the steady one the median of 200 after 3000 unmeasured. Memory is the child's PSS after those first 50. \`npm run bench:lines\` prints this table alone.`,
    '',
    ...lines,
    '',
    findings.trim(),
    '',
    // Written by `npm run bench:stream`, run on its own: streams are a plugin's, not the trivial thread's.
    (await readFile(new URL('./stream-results.md', import.meta.url), 'utf8')).trim(),
  ];
  await writeFile(new URL('../docs/benchmarks.md', import.meta.url), markdown(summary, meta, notes, perLine));
  const chart = ['1. cold start', '2. warm start', '3. stop (asleep for 60 s)', '4. control round trip'];
  await writeFile(new URL('../docs/benchmarks.svg', import.meta.url), svg(summary, chart));
}
