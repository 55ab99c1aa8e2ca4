import * as z from 'zod/mini';
import { errorData } from './error-data.js';
import { sleeptime } from './init-frame.js';

export { type ErrorData, errorData } from './error-data.js';

// The parts both directions share. zod/mini rather than zod: the child
// builds these too, and the tree-shaken mini build costs a few ms to import
// where full zod costs ~60.

/** The thread state either side may change and the other must mirror. */
export const patch = z.strictObject({
  t: z.literal('set'),
  active: z.optional(z.boolean()),
  idle: z.optional(z.boolean()),
  sleeptime: z.optional(sleeptime),
  name: z.optional(z.string()),
});
export type StatePatch = Omit<z.infer<typeof patch>, 't'>;

/** User data rides inside its own frame type, so it can never pass for control. */
export const user = z.strictObject({ t: z.literal('msg'), data: z.unknown() });

/** A typed call either way: the host calls a plugin's method, a plugin calls a host function. */
export const call = z.strictObject({ t: z.literal('call'), id: z.number(), method: z.string(), input: z.unknown() });
export const reply = z.strictObject({ t: z.literal('reply'), id: z.number(), value: z.unknown() });
export const replyError = z.strictObject({ t: z.literal('reply-error'), id: z.number(), error: errorData() });
