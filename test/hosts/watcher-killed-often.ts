// Starts a daemon thread, then SIGKILLs the orphan watcher each time it is
// replaced, until the host gives up on it; prints the warnings, and how many
// watchers run at the end, as JSON.
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import Ticker from '../fixtures/ticker.js';

/** This process's children that run the watcher's shell. */
const watchers = (): number[] =>
  readdirSync('/proc/self/task')
    .flatMap((task) => readFileSync(`/proc/self/task/${task}/children`, 'utf8').trim().split(/\s+/))
    .filter(Boolean)
    .map(Number)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('/bin/sh\0-c\0');
      } catch {
        return false;
      }
    });

// The watcher never holds the host: this does, while the test runs.
const keepAlive = setInterval(() => undefined, 60_000);
const warnings: string[] = [];
process.on('warning', (warning) => warnings.push(warning.message));
const thread = new Ticker({ daemon: true, sleeptime: 60_000 });
await thread.start();
for (let round = 0; round < 11; round++) {
  const reported = once(process, 'warning');
  process.kill(watchers()[0] as number, 'SIGKILL');
  await reported;
}
process.stdout.write(`${JSON.stringify({ warnings, watchers: watchers().length })}\n`);
clearInterval(keepAlive);
