import { once } from 'node:events';
import { Worker } from 'node:worker_threads';

const WORKER = new URL('../fixtures/worker-thread.js', import.meta.url);

/** worker_threads.Worker: the in-process baseline, isolated by V8 isolate only. */
export const workerThreads = {
  name: 'worker_threads',
  async start() {
    const worker = new Worker(WORKER);
    await once(worker, 'message');
    return worker;
  },
  async roundTrip(worker) {
    const answer = once(worker, 'message');
    worker.postMessage('ping');
    await answer;
  },
  async stop(worker) {
    await worker.terminate();
  },
};
