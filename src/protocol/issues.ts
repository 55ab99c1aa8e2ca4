import type * as z from 'zod/mini';

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
