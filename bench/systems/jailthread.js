import { JailThread } from 'jailthread';
import { untilMessages } from '../lib/messages.js';
import { inUserApp } from '../lib/user-app.js';

const { default: Trivial } = await import(inUserApp('trivial-thread.js'));

const common = {
  async start() {
    const thread = new Trivial({ sleeptime: 60_000 });
    await thread.start();
    return thread;
  },
  roundTrip: (thread) => thread.getStatus(),
  async toChild(thread, count, payload) {
    const done = new Promise((resolve) => thread.once('message', resolve));
    await thread.send(`burst:${count}`);
    for (let i = 0; i < count; i++) void thread.send(payload);
    await done;
  },
  toHost: (thread, count) => untilMessages(thread, count, () => void thread.send(`emit:${count}`)),
  pid: (thread) => thread.ident,
  stop: (thread) => thread.stop(),
};

/** This library, on the same trivial thread, forked cold. */
export const jailthread = { ...common, name: 'jailthread' };

/**
 * The same, adopting a spare made ready (untimed) beforehand. Only its start
 * is measured: once started, its thread is the cold one's.
 */
export const jailthreadWarm = {
  ...common,
  name: 'jailthread (warm)',
  startRow: '2. warm start',
  prepare: () => JailThread.prewarm(1),
  // No spare may outlive this system's turn: the cold system would adopt it.
  finish: () => JailThread.prewarm(0),
};

/** The same, adopting a spare that imported the thread's module before it was ready (Trivial.prewarm()). */
export const jailthreadPreloaded = {
  ...common,
  name: 'jailthread (warm, preloaded)',
  startRow: '2. warm start',
  prepare: () => Trivial.prewarm(1),
  finish: () => Trivial.prewarm(0),
};
