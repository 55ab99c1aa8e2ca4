import * as z from 'zod/mini';
import { builtOnce } from '../built-once.js';
import type { StatePatch } from '../thread-state.js';
import type { Expect, Same } from '../type-checks.js';
import { errorData } from './error-data.js';
import { threadState } from './init-frame.js';

export { type ErrorData, errorData } from './error-data.js';

// The parts both directions share, each built on first use (see builtOnce).
// zod/mini rather than zod: the child builds these too, and the tree-shaken
// mini build costs a few ms to import where full zod costs ~60.

/** The thread state either side may change and the other must mirror: the init frame's fields, by name. */
export const patch = builtOnce(() =>
  z.extend(z.partial(z.pick(threadState, { active: true, idle: true, sleeptime: true, name: true })), {
    t: z.literal('set'),
  }),
);

/** User data rides inside its own frame type, so it can never pass for control. */
export const user = builtOnce(() => z.strictObject({ t: z.literal('msg'), data: z.unknown() }));

/**
 * A request either way: one frame, told apart by `kind`, answered by one
 * `reply` or `reply-error` with its `id`. Each direction admits its own kinds
 * (see host-message.ts and child-message.ts).
 */
const request = <K extends string, S extends z.core.$ZodLooseShape>(kind: K, shape: S) =>
  z.strictObject({ t: z.literal('request'), id: z.number(), kind: z.literal(kind), ...shape });

/**
 * A typed call: the host calls a plugin's method, a plugin calls a host
 * function. `timeout`: how long the caller waits, so the side that serves it
 * stops waiting too (a plugin's calls to the host carry it).
 */
export const callRequest = builtOnce(() =>
  request('call', { method: z.string(), input: z.unknown(), timeout: z.optional(z.number()) }),
);
/** The thread's status(flavor), host to child. */
export const statusRequest = builtOnce(() => request('status', { flavor: z.optional(z.string()) }));
/** Answered from the child's event loop, host to child: a loop blocked in synchronous code cannot answer. */
export const pingRequest = builtOnce(() => request('ping', {}));

export const reply = builtOnce(() => z.strictObject({ t: z.literal('reply'), id: z.number(), value: z.unknown() }));
export const replyError = builtOnce(() =>
  z.strictObject({ t: z.literal('reply-error'), id: z.number(), error: errorData() }),
);

/** What a child answers a ping with; the host reads `rss` from /proc where it can. */
export const pongValue = builtOnce(() => z.strictObject({ rss: z.number(), heapUsed: z.number() }));

// An error here means the `set` frame's fields and StatePatch differ: see thread-state.ts.
// biome-ignore lint/correctness/noUnusedVariables: a check at compile time, used by nothing
type PatchMatchesState = Expect<Same<Omit<z.infer<ReturnType<typeof patch>>, 't'>, StatePatch>>;
