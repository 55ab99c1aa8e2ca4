// node bench/start-rows.js [--rounds N] [--smoke] [--env-as-is]: the start-up
// rows, on whatever Node runs this file (`npm run bench` and bench/lines.js
// run it on each supported line): cold start, warm start, the first 50 round
// trips of a fresh thread, steady-state round trips, stop while asleep for
// 60 s, memory per idle thread, and 200 threads started, answering and
// stopped; this library against a raw child_process.fork of the same
// trivial child, interleaved round by round. Prints one JSON object: medians
// per row and system (ms, or MiB for memory).
import { parseArgs } from 'node:util';
import { settleEnvironment } from './lib/environment.js';
import { steadyRoundTrip, timedStart, timedStop } from './lib/measure.js';
import { memoryOf } from './lib/memory.js';
import { measureScale } from './lib/scale.js';
import { median } from './lib/stats.js';
import { jailthread, jailthreadPreloaded, jailthreadWarm } from './systems/jailthread.js';
import { rawFork } from './systems/raw-fork.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '20' },
    smoke: { type: 'boolean', default: false },
    'env-as-is': { type: 'boolean', default: false },
  },
});
const rounds = values.smoke ? 2 : Number(values.rounds);
const WARMUP = values.smoke ? 1 : 3;
const FIRST = 50;
const WARM_TRIPS = values.smoke ? 20 : 3000;
const TRIPS = values.smoke ? 20 : 200;
const SCALE = values.smoke ? 10 : 200;
const SCALE_ROUNDS = values.smoke ? 1 : 3;
const notes = await settleEnvironment(values['env-as-is']);

const samples = {};
const record = (row, system, value) => {
  samples[row] ??= {};
  samples[row][system] ??= [];
  samples[row][system].push(value);
};

async function measure(system, round) {
  await system.prepare?.();
  const { handle, started } = await timedStart(system);
  if (system.startRow) {
    await system.stop(handle);
    await system.finish?.();
    if (round >= WARMUP)
      record(system === jailthreadWarm ? 'warm start' : 'warm start (preloaded)', 'jailthread', started);
    return;
  }
  const t1 = performance.now();
  for (let i = 0; i < FIRST; i++) await system.roundTrip(handle);
  const first = (performance.now() - t1) / FIRST;
  // Idle memory: after those first trips, before the warm-up below grows the heap.
  const { pss } = memoryOf(system.pid(handle));
  const steady = await steadyRoundTrip(system, handle, WARM_TRIPS, TRIPS);
  const stopped = await timedStop(system, handle);
  if (round < WARMUP) return;
  record('cold start', system.name, started);
  record(`first ${FIRST} round trips (mean)`, system.name, first);
  record('steady round trip', system.name, steady);
  record('stop (asleep for 60 s)', system.name, stopped);
  record('memory per idle thread (PSS, MiB)', system.name, pss);
}

const systems = [rawFork, jailthread, jailthreadWarm, jailthreadPreloaded];
for (let round = 0; round < WARMUP + rounds; round++) {
  for (const system of systems.map((_, i) => systems[(i + round) % systems.length])) await measure(system, round);
}
for (let round = 0; round < SCALE_ROUNDS; round++) {
  for (const system of round % 2 === 0 ? [rawFork, jailthread] : [jailthread, rawFork]) {
    record(`${SCALE} threads: wall time`, system.name, (await measureScale(system, SCALE)).wall);
  }
}
const rows = {};
for (const [row, bySystem] of Object.entries(samples)) {
  rows[row] = Object.fromEntries(Object.entries(bySystem).map(([system, values]) => [system, median(values)]));
}
console.log(JSON.stringify({ node: process.version, rounds, rows, notes }));
