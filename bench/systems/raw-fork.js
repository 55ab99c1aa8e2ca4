import { fork } from 'node:child_process';
import { once } from 'node:events';

const CHILD = new URL('../fixtures/raw-child.js', import.meta.url);

/** Plain child_process.fork of the trivial child: the floor the others are compared with. */
export const rawFork = (serialization) => ({
  name: serialization === 'json' ? 'raw fork (json)' : 'raw fork',
  async start() {
    const child = fork(CHILD, { serialization, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    await once(child, 'message');
    return child;
  },
  async roundTrip(child) {
    const answer = once(child, 'message');
    child.send('ping');
    await answer;
  },
  async stop(child) {
    const closed = once(child, 'close');
    child.send('stop');
    await closed;
  },
});
