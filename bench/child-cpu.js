// node bench/child-cpu.js [--rounds N]: what a cold start costs the child
// itself, which a loaded machine disturbs far less than wall time: the CPU
// time of the child's process from exec to the start of run() (to its first
// line for a raw child_process.fork), with its age then, interleaved with a
// raw fork, medians. Run it in two checkouts to compare builds (A/B).
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { settleEnvironment } from './lib/environment.js';
import { median } from './lib/stats.js';
import { inUserApp } from './lib/user-app.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '20' } } });
const notes = await settleEnvironment(false);
const RAW = new URL('./fixtures/cpu-raw.js', import.meta.url);
const { default: CpuThread } = await import(inUserApp('cpu-thread.js'));

const systems = {
  async 'raw fork'() {
    const child = fork(RAW, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const [at] = await once(child, 'message');
    const closed = once(child, 'close');
    child.send('stop');
    await closed;
    return at;
  },
  async jailthread() {
    const thread = new CpuThread({ sleeptime: 60_000 });
    await thread.start();
    const at = await thread.getStatus();
    await thread.stop();
    return at;
  },
};

const samples = Object.fromEntries(Object.keys(systems).map((name) => [name, []]));
const names = Object.keys(systems);
for (let round = -1; round < Number(values.rounds); round++) {
  for (const name of round % 2 === 0 ? names : [...names].reverse()) {
    const at = await systems[name]();
    if (round >= 0) samples[name].push(at);
  }
}
console.log(`Node ${process.version}, ${values.rounds} rounds`);
for (const [name, list] of Object.entries(samples)) {
  const cpu = median(list.map((at) => at.cpu));
  const wall = median(list.map((at) => at.wall));
  console.log(`${name.padEnd(11)} child CPU to run() ${cpu.toFixed(1)} ms, its age then ${wall.toFixed(1)} ms`);
}
for (const note of notes) console.log(`note: ${note}`);
