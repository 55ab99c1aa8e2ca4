// Apart from the spec's schemas so that the public declarations reach no zod type.

/** The restart policies, in the order error messages list them. */
export const POLICIES = ['always', 'on-failure', 'never'] as const;

/** When a plugin's process ends, whether to start it again: Erlang/OTP's permanent, transient and temporary. */
export type RestartPolicy = (typeof POLICIES)[number];
