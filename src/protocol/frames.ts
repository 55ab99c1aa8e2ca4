import * as z from 'zod/mini';

// The parts both directions share. zod/mini rather than zod: the child
// imports these on its start-up path, and the tree-shaken mini build costs a
// few ms where full zod costs ~60.

export const errorData = z.object({
  name: z.string(),
  message: z.string(),
  stack: z.optional(z.string()),
  code: z.optional(z.string()),
});
export type ErrorData = z.infer<typeof errorData>;

export const sleeptime = z.number().check(z.gte(0));

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
export const replyError = z.strictObject({ t: z.literal('reply-error'), id: z.number(), error: errorData });

/** One line per problem, `path: what`, for ProtocolError messages. */
export function describeIssues(error: z.core.$ZodError): string {
  return error.issues
    .map((issue) => {
      const where = issue.path.length > 0 ? issue.path.join('.') : 'frame';
      const expected = 'expected' in issue ? ` (expected ${String(issue.expected)})` : '';
      return `${where}: ${issue.code}${expected}`;
    })
    .join('; ');
}
