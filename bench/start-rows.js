// node bench/start-rows.js [--rounds N] [--smoke]: the start and round-trip
// rows alone, on whatever Node runs this file (bench/lines.js runs it on
// each supported line): cold start, warm start, the first 50 round trips of
// a fresh thread, and steady-state round trips, for this library against a
// raw child_process.fork of the same trivial child, interleaved round by
// round. Prints one JSON object: medians in ms per row and system.
import { parseArgs } from 'node:util';
import { settleEnvironment } from './lib/environment.js';
import { median } from './lib/stats.js';
import { jailthread, jailthreadWarm } from './systems/jailthread.js';
import { rawFork } from './systems/raw-fork.js';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '20' }, smoke: { type: 'boolean', default: false } },
});
const rounds = values.smoke ? 2 : Number(values.rounds);
const WARMUP = values.smoke ? 1 : 3;
const FIRST = 50;
const WARM_TRIPS = values.smoke ? 20 : 3000;
const TRIPS = values.smoke ? 20 : 200;
const notes = await settleEnvironment(false);

const samples = {};
const record = (row, system, value) => {
  samples[row] ??= {};
  samples[row][system] ??= [];
  samples[row][system].push(value);
};

async function measure(system, round) {
  await system.prepare?.();
  const t0 = performance.now();
  const handle = await system.start();
  const started = performance.now() - t0;
  if (system.startRow) {
    await system.stop(handle);
    await system.finish?.();
    if (round >= WARMUP) record('warm start', 'jailthread', started);
    return;
  }
  const t1 = performance.now();
  for (let i = 0; i < FIRST; i++) await system.roundTrip(handle);
  const first = (performance.now() - t1) / FIRST;
  for (let i = 0; i < WARM_TRIPS; i++) await system.roundTrip(handle);
  const trips = [];
  for (let i = 0; i < TRIPS; i++) {
    const t = performance.now();
    await system.roundTrip(handle);
    trips.push(performance.now() - t);
  }
  await system.stop(handle);
  if (round < WARMUP) return;
  record('cold start', system.name, started);
  record(`first ${FIRST} round trips (mean)`, system.name, first);
  record('steady round trip', system.name, median(trips));
}

const systems = [rawFork, jailthread, jailthreadWarm];
for (let round = 0; round < WARMUP + rounds; round++) {
  for (const system of systems.map((_, i) => systems[(i + round) % systems.length])) await measure(system, round);
}
const rows = {};
for (const [row, bySystem] of Object.entries(samples)) {
  rows[row] = Object.fromEntries(Object.entries(bySystem).map(([system, values]) => [system, median(values)]));
}
console.log(JSON.stringify({ node: process.version, rounds, rows, notes }));
