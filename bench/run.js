// npm run bench [-- --rounds N]: every system on the same trivial thread,
// interleaved round by round so drift hits all alike; medians after a warm-up.
import { parseArgs } from 'node:util';
import { median, percentile } from './lib/stats.js';
import { jailthread } from './systems/jailthread.js';
import { rawFork } from './systems/raw-fork.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '20' } } });
const rounds = Number(values.rounds);
const WARMUP = 3;
const ROUND_TRIPS = 200;
const WARM_TRIPS = 500;

const systems = [rawFork('advanced'), rawFork('json'), jailthread];
const rows = { 'cold start': new Map(), stop: new Map(), 'control round trip': new Map() };
for (const row of Object.values(rows)) for (const system of systems) row.set(system.name, []);

for (let round = 0; round < WARMUP + rounds; round++) {
  // Rotated each round, so no system always follows the same neighbour's teardown.
  const order = systems.map((_, i) => systems[(i + round) % systems.length]);
  for (const system of order) {
    const t0 = performance.now();
    const handle = await system.start();
    const cold = performance.now() - t0;
    for (let i = 0; i < WARM_TRIPS; i++) await system.roundTrip(handle);
    const trips = [];
    for (let i = 0; i < ROUND_TRIPS; i++) {
      const t = performance.now();
      await system.roundTrip(handle);
      trips.push(performance.now() - t);
    }
    const t1 = performance.now();
    await system.stop(handle);
    const stop = performance.now() - t1;
    if (round < WARMUP) continue;
    rows['cold start'].get(system.name).push(cold);
    rows.stop.get(system.name).push(stop);
    rows['control round trip'].get(system.name).push(median(trips));
  }
}

const fmt = (ms) => (ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(2)} ms`);
console.log(`rounds: ${rounds}, Node ${process.version}`);
for (const [row, bySystem] of Object.entries(rows)) {
  const base = median(bySystem.get('raw fork'));
  console.log(`\n${row}`);
  for (const [name, samples] of bySystem) {
    const m = median(samples);
    console.log(
      `  ${name.padEnd(18)} median ${fmt(m).padStart(10)}  p90 ${fmt(percentile(samples, 90)).padStart(10)}  ×${(m / base).toFixed(2)}`,
    );
  }
}
