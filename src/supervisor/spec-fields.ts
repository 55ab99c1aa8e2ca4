// The rules and defaults of a plugin spec's fields, written once: `host.add()`
// and the command line's config file both check against these schemas, each
// adding only what is its own (add(): functions, URLs, a contract object; the
// config: contract paths and routes), and each reporting in its own words.
//
// Where the two used to disagree, the stricter sensible rule won:
// - a name is a non-empty string of letters, digits, '-', '_' or '.', starting
//   with a letter or digit: it is typed on command lines, shown in
//   comma-separated jail lists, and routes split `plugin.method` at the last dot;
// - milliseconds and counts are whole numbers (`backoff.initial`, `max`,
//   `resetAfter`, `maxRestarts`, `restartWindow`, `shutdownTimeout`, `startTimeout`, `health.*`,
//   `limits.*`, `spares`); `backoff.factor` is any number from 1;
// - `restartWindow`, `health.interval`, `health.timeout` and `limits.*` are at
//   least 1 (a window of 0 ms would count no restart at all);
// - `options.sleeptime`, when the spec sets it, is above 0 (a plugin's loop
//   with no pause would spin a core);
// - every millisecond field is at most 2^31 - 1, the longest a Node timer
//   waits: a longer one fires at once;
// - `export`, `sandbox.read`/`write` entries and `envAllow` entries are non-empty.

import * as z from 'zod/mini';
import { builtOnce } from '../built-once.js';
import { MAX_TIMER_MS, TIMER_BOUND } from '../options.js';
import { DEFAULT_BACKOFF } from './restart-budget.js';
import { POLICIES, type RestartPolicy } from './restart-policy.js';
import { DEFAULT_ENV_ALLOW } from './sandbox.js';

/** Every default of a spec, in the one place they are written (the JSDoc of `PluginSpec` states them). */
export const SPEC_DEFAULTS = {
  export: 'default',
  restart: 'on-failure' as RestartPolicy,
  backoff: DEFAULT_BACKOFF,
  maxRestarts: 3,
  restartWindow: 300_000,
  shutdownTimeout: 5000,
  startTimeout: 30_000,
  health: { interval: 1000, timeout: 3000 },
  envAllow: DEFAULT_ENV_ALLOW,
  spares: 0,
  start: 'eager' as 'eager' | 'lazy',
  preloadSpares: false,
} as const;

/** The form of a plugin's name, for messages that explain it. */
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export const nonEmpty = () => z.string().check(z.minLength(1, { error: 'must not be empty' }));

/** A whole number from `min` (0 or 1). */
export const whole = (min: 0 | 1) =>
  z
    .int()
    .check(
      z.minimum(min, { error: min === 0 ? 'must be a whole number, 0 or more' : 'must be a whole number above 0' }),
    );

/** Milliseconds from `min`, up to the longest a Node timer waits (a longer one fires at once). */
export const ms = (min: 0 | 1) =>
  whole(min).check(z.maximum(MAX_TIMER_MS, { error: `must be at most ${TIMER_BOUND}` }));

const optional = z.optional;

function buildFields() {
  const NAME = z.string().check(
    z.minLength(1, { error: 'must be a non-empty string', abort: true }),
    z.regex(NAME_PATTERN, {
      error: "must be letters, digits, '-', '_' or '.', starting with a letter or digit (it is typed on command lines)",
    }),
  );

  const EXPORT = optional(nonEmpty());

  /** Reaches the plugin's constructor: its own keys are the plugin's business. */
  const OPTIONS = optional(
    z.looseObject({
      sleeptime: optional(
        z
          .number()
          .check(
            z.positive({ error: 'must be a number of milliseconds above 0' }),
            z.maximum(MAX_TIMER_MS, { error: `must be at most ${TIMER_BOUND}` }),
          ),
      ),
      idle: optional(z.boolean()),
      args: optional(z.array(z.unknown())),
    }),
  );

  const sandbox = z.strictObject({
    read: optional(z.array(nonEmpty())),
    write: optional(z.array(nonEmpty())),
    childProcess: optional(z.boolean()),
    worker: optional(z.boolean()),
    addons: optional(z.boolean()),
    net: optional(z.boolean()),
    readDefaults: optional(z.boolean()),
  });

  const FALSE_OR_OBJECT = { error: 'must be false or an object' };

  /** How the plugin is supervised, confined and started: data alike in a spec and a config entry. */
  const SUPERVISION = {
    restart: optional(z.enum(POLICIES)),
    backoff: optional(
      z.strictObject({
        initial: optional(ms(0)),
        factor: optional(z.number().check(z.gte(1, { error: 'must be a number, 1 or more' }))),
        max: optional(ms(0)),
        resetAfter: optional(ms(0)),
      }),
    ),
    maxRestarts: optional(whole(0)),
    restartWindow: optional(ms(1)),
    shutdownTimeout: optional(ms(0)),
    startTimeout: optional(ms(0)),
    health: optional(
      z.union(
        [z.literal(false), z.strictObject({ interval: optional(ms(1)), timeout: optional(ms(1)) })],
        FALSE_OR_OBJECT,
      ),
    ),
    limits: optional(
      z.strictObject({
        maxOldGenerationSizeMb: optional(whole(1)),
        maxRssMb: optional(whole(1)),
        maxHeldMb: optional(whole(1)),
      }),
    ),
    sandbox: optional(z.union([z.literal(false), sandbox], FALSE_OR_OBJECT)),
    env: optional(z.record(z.string(), z.string())),
    envAllow: optional(z.array(nonEmpty())),
    execArgv: optional(z.array(z.string())),
    start: optional(z.enum(['eager', 'lazy'])),
    preloadSpares: optional(z.boolean()),
  };

  const SPARES = optional(whole(0));
  return { NAME, EXPORT, OPTIONS, SUPERVISION, SPARES };
}

/**
 * The shared schemas, built on first use: the library is imported in every
 * thread's process, and building them there would cost each start ~2 ms of
 * zod for specs only a host reads.
 */
export const specFields = builtOnce(buildFields);
