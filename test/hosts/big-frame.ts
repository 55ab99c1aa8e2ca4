// Run with --expose-gc. A child writes a 64 MiB frame; every 5 ms this host
// collects garbage and samples the buffer memory still live, so the peak says
// what the host held at once (a host that buffered the frame would hold 64 MiB).
import BadFrames from '../fixtures/bad-frames.js';

const gc = (globalThis as { gc?: () => void }).gc as () => void;
const live = () => {
  gc();
  return process.memoryUsage().arrayBuffers;
};
const thread = new BadFrames({ sleeptime: 60_000 });
const errors: string[] = [];
thread.on('error', (error) => errors.push(error.message));
const ready = new Promise((resolve) => thread.once('message', resolve));
await thread.start();
await ready;
const baseline = live();
let peak = baseline;
const sampler = setInterval(() => {
  peak = Math.max(peak, live());
}, 5);
const sent = new Promise((resolve) => thread.on('message', (data) => data === 'sent:64 MiB' && resolve(data)));
await thread.send('64 MiB');
await sent;
clearInterval(sampler);
const status = await thread.getStatus();
await thread.stop();
process.stdout.write(JSON.stringify({ peakMiB: (peak - baseline) / 2 ** 20, errors, status }));
