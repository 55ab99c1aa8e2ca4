import * as z from 'zod/mini';
import { patch, sleeptime, user } from './frames.js';

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
]);
export type HostMessage = z.infer<typeof hostMessage>;
