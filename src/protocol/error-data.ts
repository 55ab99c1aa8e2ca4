import {
  JailThreadError,
  ProtocolError,
  ThreadStartError,
  ThreadStateError,
  ThreadTimeoutError,
  ValidationError,
} from '../errors.js';
import type { ErrorData } from './frames.js';

const KNOWN: Record<string, new (message: string) => Error> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
  JailThreadError,
  ThreadStateError,
  ThreadStartError,
  ProtocolError,
  ThreadTimeoutError,
  ValidationError,
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
 * Rebuilds the other side's error here, as the built-in or jailthread class
 * it was when there is one, so `instanceof TypeError` still holds.
 */
export function fromErrorData(data: ErrorData): Error {
  const Ctor = Object.hasOwn(KNOWN, data.name) ? (KNOWN[data.name] as new (message: string) => Error) : Error;
  const error = new Ctor(data.message);
  if (error.name !== data.name) {
    Object.defineProperty(error, 'name', { value: data.name, configurable: true, writable: true });
  }
  error.stack = data.stack ?? `${data.name}: ${data.message}`;
  if (data.code !== undefined) Object.assign(error, { code: data.code });
  return error;
}
