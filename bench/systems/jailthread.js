import Trivial from '../fixtures/trivial-thread.js';

/** This library, on the same trivial thread. */
export const jailthread = {
  name: 'jailthread',
  async start() {
    const thread = new Trivial({ sleeptime: 60_000 });
    await thread.start();
    return thread;
  },
  roundTrip: (thread) => thread.getStatus(),
  stop: (thread) => thread.stop(),
};
