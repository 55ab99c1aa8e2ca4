// Runs a hostile fixture (argv[2], with sleeptime argv[3], output argv[4])
// and prints to stderr what it cost this host as JSON: growth of heap and
// buffers, the longest event-loop stall, the time until the thread ended, and
// how it ended. argv[5], if given, kills the thread after that many ms (to
// measure an attack that would otherwise go on). A message 'ping' is answered
// 'pong', so a fixture knows the host has read everything it sent before.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { JailThread } from 'jailthread';

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const used = () => {
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
};
const MiB = 2 ** 20;
const { default: Fixture } = (await import(`../fixtures/${process.argv[2]}.js`)) as { default: typeof JailThread };
const output = process.argv[4] === 'prefix' ? 'prefix' : 'inherit';
const thread = new Fixture({ name: 'hostile', sleeptime: Number(process.argv[3]), output });
const errors: string[] = [];
thread.on('error', (error) => errors.push(`${error.name}: ${error.message}`));
const messages: unknown[] = [];
thread.on('message', (data) => {
  messages.push(typeof data === 'string' && data.length > 100 ? data.length : data);
  if (data === 'ping') void thread.send('pong');
});
gc();
const baseline = used();
let peak = 0;
const sampler = setInterval(() => {
  peak = Math.max(peak, used() - baseline);
}, 10);
const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
const began = performance.now();
await thread.start();
const killer = process.argv[5] === undefined ? undefined : setTimeout(() => thread.kill(), Number(process.argv[5]));
await thread.join();
clearTimeout(killer);
const ms = performance.now() - began;
delay.disable();
clearInterval(sampler);
peak = Math.max(peak, used() - baseline);
gc();
process.stderr.write(
  `${JSON.stringify({
    peakMiB: Math.round(peak / MiB),
    heldMiB: Math.round((used() - baseline) / MiB),
    stallMs: Math.round(delay.max / 1e6),
    ms: Math.round(ms),
    exitReason: thread.exitReason,
    signalCode: thread.signalCode,
    errors: errors.slice(0, 3),
    messages: messages.slice(0, 3),
    name: thread.name,
  })}\n`,
);
