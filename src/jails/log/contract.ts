// The log jail's calls. Imported by the host (a config's `contract`), so it holds schemas only.
import * as z from 'zod/mini';
import type { BanMethods, Method } from '../../actions/calls.js';
import { banMethods } from '../../actions/contract.js';
import { defineContract } from '../../index.js';

/** The contract of `jailthread/jails/log`, written out so that the declarations name no schema library. */
export type JailContract = {
  host: BanMethods;
  plugin: {
    banip: Method<{ ips: string[] }, number>;
    unbanip: Method<{ ips: string[] }, number>;
    banned: Method<unknown, string[]>;
  };
};

const ips = z.strictObject({ ips: z.array(z.union([z.ipv4(), z.ipv6()])).check(z.minLength(1)) });

/**
 * `jailthread/jails/log`'s contract. Host side: `ban` and `unban`, routed to an
 * action (`jailthread/actions/command` or `file`). Plugin side: fail2ban-client's
 * `set NAME banip`, `set NAME unbanip` and `get NAME banned`, as methods.
 */
export const jailContract: JailContract = defineContract({
  host: banMethods,
  plugin: {
    /** Bans each address now, for `bantime`; answers how many were not banned already. */
    banip: { input: ips, output: z.int() },
    /** Ends each address's ban now; answers how many were banned. */
    unbanip: { input: ips, output: z.int() },
    /** The addresses banned now, in ban order. */
    banned: { input: z.optional(z.unknown()), output: z.array(z.string()) },
  },
});
