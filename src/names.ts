let counter = 0;

/** Python's `Thread-N`: one counter per process, never reused. */
export const nextThreadName = (): string => `Thread-${++counter}`;
