// Runs a thread that writes argv[2] MiB to stdout and to stderr, with the
// output option argv[3], and says how it ended.
import Chatty from '../fixtures/chatty.js';

const thread = new Chatty({
  name: 'chatty',
  sleeptime: Number(process.argv[2]) * 1000,
  output: process.argv[3] as 'prefix',
});
await thread.start();
await thread.join();
process.stdout.write(`\nended: ${thread.exitReason} ${thread.exitCode}\n`);
