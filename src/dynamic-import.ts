/**
 * The library's import() of what it does not bundle: the thread's module, the
 * package by name, execa. In a thread's child the library's code is compiled
 * by the worker entry with its code cache (worker-entry/code-cache.ts), and
 * V8 runs an import() in such code only through an importer the entry hands
 * over; Node's own for it is still experimental and warns. Anywhere else
 * the library was loaded by Node, and import() is Node's.
 */
export type Importer = (specifier: string) => Promise<Record<string, unknown>>;

let importer: Importer = (specifier) => import(specifier);

/** Set once by the child's start, with the importer the worker entry made. */
export function useImporter(entryImporter: Importer): void {
  importer = entryImporter;
}

/** import() of `specifier`: a URL, a built-in, or a package name resolved from the library's folder. */
export function importModule<T = Record<string, unknown>>(specifier: string): Promise<T> {
  return importer(specifier) as Promise<T>;
}
