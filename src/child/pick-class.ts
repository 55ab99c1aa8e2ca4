import { BRAND } from '../context.js';

export interface ClassRef {
  module: string;
  export?: string | undefined;
  className?: string | undefined;
}

type Constructor = new (...args: unknown[]) => object;

/** Coded so a supervisor knows that starting again cannot help (see isHopeless()). */
const exportError = (message: string): TypeError =>
  Object.assign(new TypeError(message), { code: 'ERR_THREAD_EXPORT' });

/**
 * Finds the thread's class among a module's exports: the named export for
 * the plugin form, otherwise the export (default first) whose class has the
 * name the host constructed.
 */
export function pickClass(namespace: Record<string, unknown>, ref: ClassRef): Constructor {
  let candidate: unknown;
  let label: string;
  if (ref.export !== undefined) {
    candidate = namespace[ref.export];
    label = `export "${ref.export}"`;
  } else {
    const named = (value: unknown) => typeof value === 'function' && value.name === ref.className;
    candidate = named(namespace.default) ? namespace.default : Object.values(namespace).find(named);
    label = `an exported class named ${ref.className}`;
  }
  if (candidate === undefined) {
    const available = Object.keys(namespace).join(', ') || 'none';
    throw exportError(
      `module ${ref.module} has no ${label} (its exports: ${available}); export the JailThread subclass.`,
    );
  }
  if (typeof candidate !== 'function' || (candidate as unknown as Record<symbol, unknown>)[BRAND] !== true) {
    throw exportError(
      `${label} of module ${ref.module} is not a JailThread subclass (got ${typeof candidate}); export a class that extends JailThread.`,
    );
  }
  return candidate as Constructor;
}
