// Starts one thread, daemon or not as argv[2] says (from a spare if argv[3] is
// 'warm'), then lets the main flow
// end. The thread answers 'main-done' at once: the host prints the answer
// only if the thread kept it alive until then.
import { JailThread } from 'jailthread';
import Echo from '../fixtures/echo.js';

const daemon = process.argv[2] === 'daemon';
// A spare is unref'd until a thread adopts it; a non-daemon thread must still keep the host alive.
if (process.argv[3] === 'warm') await JailThread.prewarm(1);
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
