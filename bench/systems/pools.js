import { fileURLToPath } from 'node:url';
import { Worker as JestWorker } from 'jest-worker';
import Tinypool from 'tinypool';
import workerpool from 'workerpool';

const TASK = new URL('../fixtures/pool-task.cjs', import.meta.url);

// Pools have no thread to start: "start" is a one-worker pool answering its
// first task, a round trip is one more task, and "stop" destroys the pool.

export const tinypool = {
  name: 'tinypool (child_process)',
  async start() {
    const pool = new Tinypool({ filename: TASK.href, runtime: 'child_process', minThreads: 1, maxThreads: 1 });
    await pool.run({});
    return pool;
  },
  roundTrip: (pool) => pool.run({}),
  stop: (pool) => pool.destroy(),
};

export const workerpoolProcess = {
  name: 'workerpool (process)',
  async start() {
    const pool = workerpool.pool(fileURLToPath(new URL('../fixtures/workerpool-worker.cjs', import.meta.url)), {
      workerType: 'process',
      minWorkers: 1,
      maxWorkers: 1,
    });
    await pool.exec('task', []);
    return pool;
  },
  roundTrip: (pool) => pool.exec('task', []),
  stop: (pool) => pool.terminate(),
};

export const jestWorker = {
  name: 'jest-worker (child_process)',
  async start() {
    const pool = new JestWorker(fileURLToPath(TASK), {
      numWorkers: 1,
      enableWorkerThreads: false,
      exposedMethods: ['task'],
    });
    await pool.task();
    return pool;
  },
  roundTrip: (pool) => pool.task(),
  async stop(pool) {
    await pool.end();
  },
};
