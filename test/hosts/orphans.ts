// Starts two idle threads and a busy one, prints their PIDs, then ends the
// way argv[2] says: SIGKILL/SIGTERM/SIGINT (sent by the test), exit, throw,
// or normal (returns, with daemon threads only).
import Busy from '../fixtures/busy.js';
import Ticker from '../fixtures/ticker.js';

const mode = process.argv[2];
const daemon = mode === 'normal';
const threads = [
  new Ticker({ daemon, sleeptime: 60_000 }),
  new Ticker({ daemon, sleeptime: 60_000 }),
  new Busy({ daemon }),
];
await Promise.all(threads.map((thread) => thread.start()));
process.stdout.write(`${JSON.stringify(threads.map((thread) => thread.ident))}\n`);
if (mode === 'exit') process.exit(0);
if (mode === 'throw') throw new Error('host fails');
if (mode !== 'normal') setInterval(() => undefined, 60_000);
