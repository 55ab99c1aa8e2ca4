import * as z from 'zod/mini';
import type { ThreadState } from '../thread-state.js';
import type { Expect, Same } from '../type-checks.js';

// Apart from the other frames: it is the only one a child must check before
// its thread's run() can begin, so it alone is built on that path.

const sleeptime = z.number().check(z.gte(0));

/** The schema of ThreadState; the other frames' state fields are picked from it. */
export const threadState = z.strictObject({
  name: z.string(),
  daemon: z.boolean(),
  idle: z.boolean(),
  sleeptime,
  active: z.boolean(),
  stopTimeout: sleeptime,
});

/** The host's first frame: which thread to construct, with what, in what state. */
export const initFrame = z.strictObject({
  t: z.literal('init'),
  module: z.string(),
  export: z.optional(z.string()),
  className: z.optional(z.string()),
  options: z.record(z.string(), z.unknown()),
  args: z.array(z.unknown()),
  state: threadState,
});
export type InitFrame = z.infer<typeof initFrame>;

// An error here means the schema and ThreadState differ: change them together.
// biome-ignore lint/correctness/noUnusedVariables: a check at compile time, used by nothing
type SchemaMatchesState = Expect<Same<z.infer<typeof threadState>, ThreadState>>;
