// The calls between a jail and its action. Imported by the host (a config's
// `contract`), so it holds schemas only.
import * as z from 'zod/mini';
import { defineContract } from '../index.js';
import type { ActionContract, BanMethods } from './calls.js';

export type { ActionContract, BanCall, UnbanCall } from './calls.js';

const ip = z.union([z.ipv4(), z.ipv6()]);
const jail = z.string().check(z.minLength(1));

/** A ban as a jail sends it: `bantime` in seconds, -1 for ever; `failures` that led to it (0 for a ban by hand). */
const banInput = z.strictObject({
  jail,
  ip,
  bantime: z.number(),
  failures: z.int().check(z.gte(0)),
});
/** An unban as a jail sends it. */
const unbanInput = z.strictObject({ jail, ip });

/** Ban and unban: host functions of a jail, methods of an action. */
export const banMethods: BanMethods = {
  ban: { input: banInput, output: z.void() },
  unban: { input: unbanInput, output: z.void() },
};

/**
 * The contract of `jailthread/actions/command` and `jailthread/actions/file`
 * (and of an action of your own): a jail's `ban` and `unban` route to them.
 */
export const actionContract: ActionContract = defineContract({ plugin: banMethods });
