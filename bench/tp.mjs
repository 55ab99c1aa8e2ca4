import { jailthread } from './systems/jailthread.js';
import { rawFork } from './systems/raw-fork.js';
const P = 'x'.repeat(1024);
for (let r = 0; r < 3; r++) for (const s of [rawFork, jailthread]) {
  const h = await s.start();
  for (let i = 0; i < 3; i++) { await s.toChild(h, 2000, P); await s.toHost(h, 2000); }
  let t = performance.now(); await s.toChild(h, 5000, P); const a = 5000 / ((performance.now() - t) / 1000);
  t = performance.now(); await s.toHost(h, 5000); const b = 5000 / ((performance.now() - t) / 1000);
  t = performance.now(); for (let i = 0; i < 500; i++) await s.roundTrip(h); const rtt = (performance.now() - t) / 500 * 1000;
  console.log(s.name.padEnd(12), 'toChild', Math.round(a), 'toHost', Math.round(b), 'rtt µs', rtt.toFixed(0));
  await s.stop(h);
}
