import { execaNode } from 'execa';

const CHILD = new URL('../fixtures/raw-child.js', import.meta.url);

/** execaNode() with its promise-based IPC, as an execa user would write it. */
export const execa = {
  name: 'execaNode',
  async start() {
    const child = execaNode(CHILD, {
      serialization: 'advanced',
      stdin: 'ignore',
      stdout: 'inherit',
      stderr: 'inherit',
    });
    await child.getOneMessage();
    // Wrapped: the subprocess is a thenable, and returning it would wait for its exit.
    return { child };
  },
  async roundTrip({ child }) {
    // Listening first: execa does not keep a reply that arrives before getOneMessage().
    const reply = child.getOneMessage();
    await child.sendMessage('ping');
    await reply;
  },
  pid: ({ child }) => child.pid,
  async stop({ child }) {
    await child.sendMessage('stop');
    await child;
  },
};
