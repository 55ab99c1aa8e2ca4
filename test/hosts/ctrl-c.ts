// A host with an orderly SIGINT handler, as a terminal program would have.
import CleanupReporter from '../fixtures/cleanup-reporter.js';

const threads = [new CleanupReporter(), new CleanupReporter(), new CleanupReporter()];
await Promise.all(threads.map((thread) => thread.start()));
process.once('SIGINT', async () => {
  const stops = await Promise.all(threads.map((thread) => thread.stop()));
  const statuses = await Promise.all(threads.map((thread) => thread.getStatus()));
  process.stdout.write(`${JSON.stringify({ stops, statuses })}\n`);
});
process.stdout.write(`${JSON.stringify(threads.map((thread) => thread.ident))}\n`);
