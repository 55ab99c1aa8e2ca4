/**
 * A value built on its first use and kept: zod schemas, which cost a fraction
 * of a millisecond each to build, and would cost every child's start (or every
 * import of the package) that much if they were built where they are declared.
 */
export function builtOnce<T>(build: () => T): () => T {
  let built: T | undefined;
  return () => {
    built ??= build();
    return built;
  };
}
