import * as z from 'zod/mini';
import { DATE_PATTERNS } from './date-pattern.js';
import type { JailSettings } from './jail-settings.js';

const seconds = z.number().check(z.positive(), z.lte(2 ** 31 / 1000));
const strings = z.union([z.string(), z.array(z.string())]);

/** A log jail's settings, as fail2ban's jail.conf names them; times in seconds. */
const jailSettings = z.strictObject({
  /** The log files to follow; one that does not exist yet is waited for. */
  logpath: strings,
  /** Patterns of a failure, each with one `<HOST>` or `<ADDR>`. */
  failregex: strings,
  /** @default [] */
  ignoreregex: z.optional(strings),
  /** @default [] */
  ignoreip: z.optional(z.array(z.string())),
  /** @default 5 */
  maxretry: z._default(z.int().check(z.gte(1)), 5),
  /** @default 600 */
  findtime: z._default(seconds, 600),
  /** @default 600; -1 bans for ever */
  bantime: z._default(z.union([seconds, z.literal(-1)]), 600),
  /** @default undefined (any pattern, the earliest in the line) */
  datepattern: z.optional(z.enum(Object.keys(DATE_PATTERNS) as [keyof typeof DATE_PATTERNS])),
  /** @default 'end' */
  from: z._default(z.enum(['end', 'start']), 'end'),
  /** @default undefined (bans are not kept across restarts) */
  dbfile: z.optional(z.string().check(z.minLength(1))),
  /** @default { initial: 1000, max: 60000 } */
  retry: z._default(
    z.strictObject({
      initial: z.int().check(z.gte(1), z.lte(2 ** 31 - 1)),
      max: z.int().check(z.gte(1), z.lte(2 ** 31 - 1)),
    }),
    { initial: 1000, max: 60_000 },
  ),
  /** @default 250 */
  pollinterval: z._default(z.int().check(z.gte(1), z.lte(2 ** 31 - 1)), 250),
});

// What the written-out type allows, the schema accepts (zod adds `| undefined` to optional keys, so not both ways).
export const acceptsTheType: JailSettings extends z.input<typeof jailSettings> ? true : false = true;
/** A log jail's settings, defaults filled in. */
export type JailPlan = z.output<typeof jailSettings>;

export const listOf = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : typeof value === 'string' ? [value] : value;

/**
 * The settings checked, defaults filled in.
 * @throws {TypeError} naming the jail, each wrong field and the fix
 */
export function parseSettings(name: string, value: unknown): JailPlan {
  const parsed = jailSettings.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(settings)'}: ${issue.message}`);
  throw new TypeError(
    `jail '${name}': its settings (options.args[0]) are wrong: ${problems.join('; ')}; see docs/jails.md for each setting`,
  );
}
