// Starts a busy thread, SIGKILLs the orphan watcher, waits for the host's
// warning that it was replaced, starts a second busy thread, then prints the
// threads' PIDs, the warnings and the watchers' PIDs as JSON, and idles until
// the test kills it.
import { once } from 'node:events';
import Busy from '../fixtures/busy.js';
import { watcherShells } from '../helpers.js';

// The threads are daemons and the watcher never holds the host: this does, until the test kills it.
setInterval(() => undefined, 60_000);
const warnings: string[] = [];
process.on('warning', (warning) => warnings.push(`${(warning as { code?: string }).code}: ${warning.message}`));
const first = new Busy({ daemon: true });
await first.start();
const [killed] = watcherShells();
const replaced = once(process, 'warning');
process.kill(killed as number, 'SIGKILL');
await replaced;
const second = new Busy({ daemon: true });
await second.start();
process.stdout.write(
  `${JSON.stringify({ pids: [first.ident, second.ident], killed, watchers: watcherShells(), warnings })}\n`,
);
