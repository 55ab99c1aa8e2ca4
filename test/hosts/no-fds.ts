// Run with a low fd limit (sh -c 'ulimit -n 200; exec node no-fds.js'): starts
// one thread, uses up every file descriptor, tries to start a second and to
// prewarm a spare, frees the descriptors, and reports as JSON what each did
// and that the first thread and the host are still well.
import { closeSync, openSync } from 'node:fs';
import { JailThread } from 'jailthread';
import Echo from '../fixtures/echo.js';

const unhandled: string[] = [];
process.on('uncaughtException', (error) => unhandled.push(`uncaught ${error.message}`));
process.on('unhandledRejection', (error) => unhandled.push(`unhandled ${(error as Error).message}`));
const describe = (error: unknown) => {
  const { name, message, cause } = error as Error & { cause?: NodeJS.ErrnoException };
  return { name, message, cause: cause?.code ?? String(cause) };
};

const first = new Echo({ name: 'first' });
await first.start();
// Loads the spares' module now: with no descriptor left, import() could not read it.
await JailThread.prewarm(0);
const held: number[] = [];
try {
  for (;;) held.push(openSync('/dev/null', 'r'));
} catch {
  // EMFILE: every descriptor is taken.
}
// Spawning needs a few: free none, so every pipe the fork needs fails.
const second = new Echo({ name: 'second' });
const start = await second.start().then(
  () => 'started',
  (error) => describe(error),
);
const prewarm = await JailThread.prewarm(1).then(
  () => 'prewarmed',
  (error) => describe(error),
);
for (const fd of held) closeSync(fd);
await JailThread.prewarm(0);
const third = new Echo({ name: 'third' });
await third.start();
const echoed = new Promise((resolve) =>
  first.on('message', (data) => (data as { echo?: unknown }).echo && resolve(data)),
);
await first.send('still here');
const report = {
  start,
  secondAlive: second.isAlive(),
  secondExitReason: second.exitReason,
  prewarm,
  firstAnswers: await echoed,
  thirdStarted: third.isAlive(),
  unhandled,
};
await Promise.all([first.stop(), third.stop()]);
process.stdout.write(JSON.stringify(report));
