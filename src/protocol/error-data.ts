import * as z from 'zod/mini';
import { builtOnce } from '../built-once.js';
import { ERROR_CLASSES, ValidationError } from '../errors.js';
import { explainDenial } from './access-denied.js';

/** Causes deeper than this do not cross (a chain is usually 1 or 2 deep; a cycle would be endless). */
export const MAX_CAUSE_DEPTH = 8;
/** Issues beyond this many do not cross; the error's message still lists them all. */
export const MAX_ISSUES = 100;

/**
 * An error as it crosses the boundary. `cause` is checked level by level
 * when it is rebuilt, not by the schema, so a deep chain costs no recursion
 * in the parser.
 */
const buildErrorData = () =>
  z.object({
    name: z.string(),
    message: z.string(),
    stack: z.optional(z.string()),
    code: z.optional(z.string()),
    /** Node's ERR_ACCESS_DENIED: which permission and which file or resource. */
    permission: z.optional(z.string()),
    resource: z.optional(z.string()),
    /** ValidationError's, or any error's `issues` as `{ path, message }`. */
    issues: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
    cause: z.optional(z.unknown()),
  });
export type ErrorData = z.infer<ReturnType<typeof buildErrorData>>;
type Issue = NonNullable<ErrorData['issues']>[number];

/**
 * The schema of ErrorData, built on first use: the child's runtime imports
 * this module to send errors, which needs no schema, and building one costs
 * a cold start ~1.5 ms before run() could begin.
 */
export const errorData = builtOnce(buildErrorData);

const KNOWN: Record<string, new (message: string) => Error> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
  ...ERROR_CLASSES,
};

/** A value that crosses as a cause as it is: anything else that is not an Error is left behind. */
const isPlainCause = (value: unknown): value is string | number | boolean =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

/** `{ path, message }` from a ValidationError's issue, or a schema library's (path as an array of keys). */
function issueOf(raw: unknown): Issue | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { path, message } = raw as { path?: unknown; message?: unknown };
  const where = Array.isArray(path)
    ? path
        .map((part) => String(typeof part === 'object' && part !== null ? (part as { key?: unknown }).key : part))
        .join('.')
    : path;
  return typeof where === 'string' && typeof message === 'string' ? { path: where, message } : undefined;
}

/** Flattens any thrown value into the fields that survive the process boundary, all of them clonable. */
export function toErrorData(error: unknown, depth = 0): ErrorData {
  if (!(error instanceof Error)) return { name: 'Error', message: `non-error value thrown: ${String(error)}` };
  const data: ErrorData = { name: String(error.name), message: String(error.message) };
  if (typeof error.stack === 'string') data.stack = error.stack;
  const { code, permission, resource, issues, cause } = error as Error & Record<string, unknown>;
  if (typeof code === 'string') data.code = code;
  if (typeof permission === 'string') data.permission = permission;
  if (typeof resource === 'string') data.resource = resource;
  if (Array.isArray(issues)) {
    data.issues = issues
      .slice(0, MAX_ISSUES)
      .map(issueOf)
      .filter((entry) => entry !== undefined);
  }
  if (depth < MAX_CAUSE_DEPTH) {
    if (cause instanceof Error) data.cause = toErrorData(cause, depth + 1);
    else if (isPlainCause(cause)) data.cause = cause;
  }
  return data;
}

/**
 * Rebuilds the other side's error here, as the built-in or jailthread class
 * it was when there is one, so `instanceof TypeError` still holds, with its
 * own fields. The other side may be an untrusted child: what it sent is
 * bounded here too (issues, depth of the cause chain).
 */
export function fromErrorData(data: ErrorData, depth = 0): Error {
  const issues = data.issues?.slice(0, MAX_ISSUES);
  const message =
    data.code === 'ERR_ACCESS_DENIED' ? explainDenial(data.message, data.permission, data.resource) : data.message;
  const error =
    data.name === 'ValidationError'
      ? new ValidationError(message, issues ?? [])
      : new (Object.hasOwn(KNOWN, data.name) ? (KNOWN[data.name] as new (message: string) => Error) : Error)(message);
  if (error.name !== data.name) {
    Object.defineProperty(error, 'name', { value: data.name, configurable: true, writable: true });
  }
  // The stack starts with the message as the other side had it; an explained one replaces it there too.
  const head = `${data.name}: ${data.message}`;
  error.stack =
    data.stack === undefined
      ? `${data.name}: ${message}`
      : data.stack.startsWith(head)
        ? `${data.name}: ${message}${data.stack.slice(head.length)}`
        : data.stack;
  const fields: Record<string, unknown> = {};
  if (data.code !== undefined) fields.code = data.code;
  if (data.permission !== undefined) fields.permission = data.permission;
  if (data.resource !== undefined) fields.resource = data.resource;
  if (issues !== undefined && !(error instanceof ValidationError)) fields.issues = issues;
  Object.assign(error, fields);
  const cause = depth < MAX_CAUSE_DEPTH ? causeOf(data.cause, depth + 1) : undefined;
  // Not enumerable, as `new Error(message, { cause })` makes it.
  if (cause !== undefined) Object.defineProperty(error, 'cause', { value: cause, configurable: true, writable: true });
  return error;
}

function causeOf(raw: unknown, depth: number): unknown {
  if (isPlainCause(raw)) return raw;
  const parsed = errorData().safeParse(raw);
  return parsed.success ? fromErrorData(parsed.data, depth) : undefined;
}
