import * as z from 'zod/mini';

// zod/mini rather than zod: the child imports this module on its start-up
// path, and the tree-shaken mini build costs a few ms where full zod costs ~60.

const errorData = z.object({
  name: z.string(),
  message: z.string(),
  stack: z.optional(z.string()),
  code: z.optional(z.string()),
});
export type ErrorData = z.infer<typeof errorData>;

const sleeptime = z.number().check(z.gte(0));

/** The thread state either side may change and the other must mirror. */
const patch = z.strictObject({
  t: z.literal('set'),
  active: z.optional(z.boolean()),
  idle: z.optional(z.boolean()),
  sleeptime: z.optional(sleeptime),
  name: z.optional(z.string()),
});
export type StatePatch = Omit<z.infer<typeof patch>, 't'>;

/** User data rides inside its own frame type, so it can never pass for control. */
const user = z.strictObject({ t: z.literal('msg'), data: z.unknown() });

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

export const childMessage = z.discriminatedUnion('t', [
  z.strictObject({ t: z.literal('started') }),
  z.strictObject({ t: z.literal('start-failed'), error: errorData }),
  patch,
  z.strictObject({ t: z.literal('status-ok'), id: z.number(), value: z.unknown() }),
  z.strictObject({ t: z.literal('status-error'), id: z.number(), error: errorData }),
  z.strictObject({ t: z.literal('run-error'), error: errorData }),
  z.strictObject({ t: z.literal('finished'), status: z.unknown() }),
  user,
]);
export type ChildMessage = z.infer<typeof childMessage>;

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
