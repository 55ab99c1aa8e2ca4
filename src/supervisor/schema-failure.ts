// A constructor that checks its options with a schema (zod, valibot, any
// Standard Schema library) fails the same way every time it is given the
// same options: such an error carries the schema's `issues`, and starting
// again cannot help. Its message is a pretty-printed dump of those issues,
// ten lines or more; an operator needs one line.

/** Issues shown in a short message; the rest are counted. */
const SHOWN = 5;
/** Characters of a short message. */
const MAX = 500;

interface Issue {
  path?: unknown;
  message?: unknown;
}

const issuesOf = (error: Error): Issue[] | undefined => {
  const { issues } = error as { issues?: unknown };
  return Array.isArray(issues) && issues.length > 0 ? (issues as Issue[]) : undefined;
};

/** Whether `error` is a schema's refusal: it carries a non-empty `issues` list. */
export const isSchemaFailure = (error: Error): boolean => issuesOf(error) !== undefined;

// The child sends an issue's path already joined (src/protocol/error-data.ts); a local error has the array.
const pathOf = (path: unknown): string =>
  typeof path === 'string' && path !== ''
    ? path
    : Array.isArray(path) && path.length > 0
      ? path
          .slice(0, 8)
          .map((key) => (typeof key === 'object' && key !== null && 'key' in key ? String(key.key) : String(key)))
          .join('.')
      : '(input)';

/**
 * `Name: message` in one line: a schema's issues as `path: message; ...`
 * (the first five, then how many more), any other error's first line; at
 * most 500 characters.
 */
export function shortError(error: Error): string {
  const issues = issuesOf(error);
  const text =
    issues === undefined
      ? (String(error.message).split('\n')[0] ?? '')
      : issues
          .slice(0, SHOWN)
          .map((issue) => `${pathOf(issue.path)}: ${String(issue.message)}`)
          .join('; ') + (issues.length > SHOWN ? `; and ${issues.length - SHOWN} more` : '');
  const line = `${error.name}: ${text}`;
  return line.length <= MAX ? line : `${line.slice(0, MAX)}...`;
}
