// A host with no 'error' listener on a thread whose run() throws.
import Throws from '../fixtures/throws.js';

const thread = new Throws({ name: 'loud' });
await thread.start();
await thread.join();
process.stdout.write(`host still running, thread exit code ${thread.exitCode}`);
