import * as z from 'zod/mini';
import { call, patch, reply, replyError, sleeptime, user } from './frames.js';

/** What the host sends; parsed by the child only, so only the child builds it. */
export const hostMessage = z.discriminatedUnion('t', [
  z.strictObject({
    t: z.literal('init'),
    module: z.string(),
    export: z.optional(z.string()),
    className: z.optional(z.string()),
    options: z.record(z.string(), z.unknown()),
    args: z.array(z.unknown()),
    state: z.strictObject({
      name: z.string(),
      daemon: z.boolean(),
      idle: z.boolean(),
      sleeptime,
      active: z.boolean(),
      stopTimeout: sleeptime,
    }),
  }),
  patch,
  z.strictObject({ t: z.literal('status'), id: z.number(), flavor: z.optional(z.string()) }),
  user,
  call,
  reply,
  replyError,
  // Answered from the child's event loop: a loop blocked in synchronous code cannot answer.
  z.strictObject({ t: z.literal('ping'), id: z.number() }),
]);
export type HostMessage = z.infer<typeof hostMessage>;
