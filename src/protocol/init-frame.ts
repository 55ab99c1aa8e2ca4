import * as z from 'zod/mini';

// Apart from the other frames: it is the only one a child must check before
// its thread's run() can begin, so it alone is built on that path.

export const sleeptime = z.number().check(z.gte(0));

/** The host's first frame: which thread to construct, with what, in what state. */
export const initFrame = z.strictObject({
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
});
export type InitFrame = z.infer<typeof initFrame>;
