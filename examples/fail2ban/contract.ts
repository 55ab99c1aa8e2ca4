import { defineContract } from 'jailthread';
import * as z from 'zod';

const ban = z.object({
  jail: z.string(),
  ip: z.ipv4().or(z.ipv6()),
  bantime: z.number().positive(),
  failures: z.number(),
});
const unban = z.object({ jail: z.string(), ip: z.ipv4().or(z.ipv6()) });

/** A ban or unban as the host routes it to the action plugin. */
export type Ban = z.infer<typeof ban>;
export type Unban = z.infer<typeof unban>;

/** Ban and unban: host methods of a jail, plugin methods of the action plugin. */
const banMethods = {
  ban: { input: ban, output: z.void() },
  unban: { input: unban, output: z.void() },
};

/** A jail's filter asks its host to ban and unban; the host routes the calls to the action plugin. */
export const jailContract = defineContract({ host: banMethods });

/** The action plugin records each ban and unban the host passes on. */
export const actionContract = defineContract({ plugin: banMethods });

/** A jail's settings, as fail2ban's jail.conf names them (times in seconds). */
export const jailSettings = z.strictObject({
  logpath: z.string(),
  failregex: z.array(z.string()).min(1),
  maxretry: z.number().int().positive().default(5),
  findtime: z.number().positive().default(600),
  bantime: z.number().positive().default(600),
});
export type JailSettings = z.input<typeof jailSettings>;
