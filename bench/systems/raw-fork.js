import { fork } from 'node:child_process';
import { once } from 'node:events';
import { untilMessages } from '../lib/messages.js';

const CHILD = new URL('../fixtures/raw-child.js', import.meta.url);

/**
 * Plain child_process.fork of the trivial child: the floor the others are compared with. With its
 * default serialization (JSON), as users fork: what a user would otherwise write, not the V8 serializer
 * this library uses.
 */
export const rawFork = {
  name: 'raw fork',
  async start() {
    const child = fork(CHILD, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    await once(child, 'message');
    return child;
  },
  async roundTrip(child) {
    const answer = once(child, 'message');
    child.send('ping');
    await answer;
  },
  async toChild(child, count, payload) {
    const done = once(child, 'message');
    child.send(`burst:${count}`);
    for (let i = 0; i < count; i++) child.send(payload);
    await done;
  },
  toHost: (child, count) => untilMessages(child, count, () => child.send(`emit:${count}`)),
  pid: (child) => child.pid,
  async stop(child) {
    const closed = once(child, 'close');
    child.send('stop');
    await closed;
  },
};
