// Starts a daemon thread, then SIGKILLs the orphan watcher each time it is
// replaced, until the host gives up on it; prints the warnings, and how many
// watchers run at the end, as JSON.
import { once } from 'node:events';
import Ticker from '../fixtures/ticker.js';
import { watcherShells } from '../helpers.js';

// The watcher never holds the host: this does, while the test runs.
const keepAlive = setInterval(() => undefined, 60_000);
const warnings: string[] = [];
process.on('warning', (warning) => warnings.push(warning.message));
const thread = new Ticker({ daemon: true, sleeptime: 60_000 });
await thread.start();
for (let round = 0; round < 11; round++) {
  const reported = once(process, 'warning');
  process.kill(watcherShells()[0] as number, 'SIGKILL');
  await reported;
}
process.stdout.write(`${JSON.stringify({ warnings, watchers: watcherShells().length })}\n`);
clearInterval(keepAlive);
