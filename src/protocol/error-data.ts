import type { ErrorData } from './frames.js';

const BUILTIN: Record<string, ErrorConstructor> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

/** Flattens any thrown value into the fields that survive the process boundary. */
export function toErrorData(error: unknown): ErrorData {
  if (error instanceof Error) {
    const data: ErrorData = { name: error.name, message: error.message };
    if (error.stack !== undefined) data.stack = error.stack;
    const { code } = error as { code?: unknown };
    if (typeof code === 'string') data.code = code;
    return data;
  }
  return { name: 'Error', message: `non-error value thrown: ${String(error)}` };
}

/**
 * Rebuilds a child's error on this side, as the built-in class it was when
 * there is one, so `instanceof TypeError` still holds.
 */
export function fromErrorData(data: ErrorData): Error {
  const Ctor = BUILTIN[data.name] ?? Error;
  const error = new Ctor(data.message);
  if (error.name !== data.name) {
    Object.defineProperty(error, 'name', { value: data.name, configurable: true, writable: true });
  }
  error.stack = data.stack ?? `${data.name}: ${data.message}`;
  if (data.code !== undefined) Object.assign(error, { code: data.code });
  return error;
}
