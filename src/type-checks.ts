// Checks at compile time that a schema and the type it stands for stay the same.

/** true when A and B are the same type, not merely assignable one way. */
export type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** Compiles only for `true`. */
export type Expect<T extends true> = T;
