import * as z from 'zod/mini';
import { call, errorData, patch, reply, replyError, user } from './frames.js';

/** What the child sends; parsed by the host only, so only the host builds it. */
export const childMessage = z.discriminatedUnion('t', [
  z.strictObject({ t: z.literal('ready') }),
  z.strictObject({ t: z.literal('started') }),
  z.strictObject({ t: z.literal('start-failed'), error: errorData() }),
  patch,
  z.strictObject({ t: z.literal('status-ok'), id: z.number(), value: z.unknown() }),
  z.strictObject({ t: z.literal('status-error'), id: z.number(), error: errorData() }),
  z.strictObject({ t: z.literal('run-error'), error: errorData() }),
  z.strictObject({ t: z.literal('finished'), status: z.unknown() }),
  user,
  call,
  reply,
  replyError,
  z.strictObject({ t: z.literal('pong'), id: z.number(), rss: z.number(), heapUsed: z.number() }),
]);
export type ChildMessage = z.infer<typeof childMessage>;
