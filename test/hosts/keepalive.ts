// Starts one thread, daemon or not as argv[2] says, then lets the main flow
// end. The thread answers 'main-done' at once: the host prints the answer
// only if the thread kept it alive until then.
import Echo from '../fixtures/echo.js';

const daemon = process.argv[2] === 'daemon';
const thread = new Echo({ daemon, sleeptime: 60_000 });
thread.on('message', (data: unknown) => {
  if (typeof data === 'object') {
    process.stdout.write('kept alive\n');
    void thread.stop();
  }
});
await thread.start();
process.stdout.write(`${thread.ident}\n`);
await thread.send('main-done');
