import * as z from 'zod/mini';
import { call, patch, reply, replyError, user } from './frames.js';
import { initFrame } from './init-frame.js';

/**
 * What the host sends; parsed by the child only, so only the child builds it,
 * and only once its thread is running (see ChildRuntime).
 */
export const hostMessage = z.discriminatedUnion('t', [
  initFrame,
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
