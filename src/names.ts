let counter = 0;

/** Python's `Thread-N`: one counter per process, never reused. */
export const nextThreadName = (): string => `Thread-${++counter}`;

/**
 * A thread's process title, what `ps` and `top` show: marked as jailthread's
 * so that `pgrep sshd` or `pkill sshd` do not match a thread named `sshd`.
 */
export const processTitle = (name: string): string => `jailthread: ${name}`;
