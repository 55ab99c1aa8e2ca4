import { ValidationError } from '../errors.js';
import type { InferInput, InferOutput, StandardIssue, StandardResult, StandardSchemaV1 } from './standard-schema.js';

/** The schemas of one callable: what it takes and what it gives back. */
export interface MethodSchemas {
  input: StandardSchemaV1;
  output: StandardSchemaV1;
}

/** The schemas of a plugin method that streams: what it takes, and each item it yields (`host.stream()`). */
export interface StreamSchemas {
  input: StandardSchemaV1;
  yields: StandardSchemaV1;
}

/**
 * What may cross between a plugin host and a plugin: `plugin` lists the
 * methods the host may call on the plugin, `host` the functions the plugin
 * may call on the host. Both sides validate what they receive against it.
 */
export interface Contract {
  /** The plugin's methods: `output` for one answer (`host.call()`), or `yields` for a stream of items (`host.stream()`). */
  plugin?: Record<string, MethodSchemas | StreamSchemas>;
  host?: Record<string, MethodSchemas>;
  /** The events the plugin may publish (`this.publish(event, data)`), and the schema of each one's data. */
  events?: Record<string, StandardSchemaV1>;
}

/** The names of the events a plugin with contract `C` publishes. */
export type EventNames<C extends Contract> = keyof NonNullable<C['events']> & string;
/** What the plugin passes to `publish(event, data)`. */
export type EventInput<C extends Contract, E extends EventNames<C>> = InferInput<
  NonNullable<C['events']>[E] extends StandardSchemaV1 ? NonNullable<C['events']>[E] : never
>;
/** What a host's `subscribe()` listener gets, as the event's schema parses it. */
export type EventData<C extends Contract, E extends EventNames<C>> = InferOutput<
  NonNullable<C['events']>[E] extends StandardSchemaV1 ? NonNullable<C['events']>[E] : never
>;

type Side<C extends Contract, K extends 'plugin' | 'host'> = NonNullable<C[K]>;

/**
 * The methods a plugin with contract `C` implements: input parsed by the input schema, output for the
 * output schema. `signal` aborts when the host aborts the call, its timeout runs out, or the plugin is stopping.
 */
export type PluginMethods<C extends Contract> = {
  [M in keyof Side<C, 'plugin'>]: (
    input: InferOutput<Side<C, 'plugin'>[M]['input']>,
    context: { signal: AbortSignal },
  ) => Side<C, 'plugin'>[M] extends StreamSchemas
    ? AsyncIterable<InferInput<Side<C, 'plugin'>[M]['yields']>>
    : Side<C, 'plugin'>[M] extends MethodSchemas
      ? InferInput<Side<C, 'plugin'>[M]['output']> | Promise<InferInput<Side<C, 'plugin'>[M]['output']>>
      : never;
};

/**
 * The host functions a plugin host serves to a plugin with contract `C`. `signal` aborts when the
 * plugin aborts the call, its timeout runs out, or the plugin's process exits.
 */
export type HostFunctions<C extends Contract> = {
  [F in keyof Side<C, 'host'>]: (
    input: InferOutput<Side<C, 'host'>[F]['input']>,
    context: { plugin: string; signal: AbortSignal },
  ) => InferInput<Side<C, 'host'>[F]['output']> | Promise<InferInput<Side<C, 'host'>[F]['output']>>;
};

/** What a caller passes to method `M` of side `K`. */
export type CallInput<C extends Contract, K extends 'plugin' | 'host', M extends keyof Side<C, K>> = InferInput<
  Side<C, K>[M] extends MethodSchemas | StreamSchemas ? Side<C, K>[M]['input'] : never
>;
/** What each item of `host.stream()` of method `M` is, as its `yields` schema parses it. */
export type StreamItem<C extends Contract, M extends keyof Side<C, 'plugin'>> = Side<
  C,
  'plugin'
>[M] extends StreamSchemas
  ? InferOutput<Side<C, 'plugin'>[M]['yields']>
  : Side<C, 'plugin'>[M] extends MethodSchemas
    ? never
    : unknown;
/** What a caller gets back from method `M` of side `K`. */
export type CallOutput<C extends Contract, K extends 'plugin' | 'host', M extends keyof Side<C, K>> = Side<
  C,
  K
>[M] extends MethodSchemas
  ? InferOutput<Side<C, K>[M]['output']>
  : Side<C, K>[M] extends StreamSchemas
    ? never
    : unknown;

const isSchema = (value: unknown): value is StandardSchemaV1 =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as StandardSchemaV1)['~standard']?.validate === 'function';

/**
 * Declares a contract, checking its shape: every method needs an `input`
 * and an `output` schema (zod 4, or any Standard Schema).
 * @example
 * export const contract = defineContract({
 *   plugin: { scan: { input: z.object({ path: z.string() }), output: z.number() } },
 *   host: { ban: { input: z.object({ ip: z.string() }), output: z.boolean() } },
 * });
 */
export function defineContract<const C extends Contract>(contract: C): C {
  const events = contract.events;
  if (events !== undefined) {
    if (typeof events !== 'object' || events === null) {
      throw new TypeError('defineContract(): events must be an object of schemas by event name.');
    }
    for (const [name, schema] of Object.entries(events)) {
      if (!isSchema(schema)) {
        throw new TypeError(
          `defineContract(): events.${name} must be a schema (zod 4 or another Standard Schema) of the event's data.`,
        );
      }
    }
  }
  for (const side of ['plugin', 'host'] as const) {
    const methods = contract[side];
    if (methods === undefined) continue;
    if (typeof methods !== 'object' || methods === null) {
      throw new TypeError(`defineContract(): ${side} must be an object of { input, output } schemas by method name.`);
    }
    for (const [name, schemas] of Object.entries(methods)) {
      const streams = side === 'plugin' && isSchema((schemas as Partial<StreamSchemas> | undefined)?.yields);
      if (streams && (schemas as Partial<MethodSchemas>).output !== undefined) {
        throw new TypeError(
          `defineContract(): plugin.${name} has both output and yields; give output for one answer (host.call()), or yields for a stream (host.stream()).`,
        );
      }
      for (const part of ['input', streams ? 'yields' : 'output'] as const) {
        if (!isSchema((schemas as Partial<MethodSchemas & StreamSchemas> | undefined)?.[part])) {
          throw new TypeError(
            `defineContract(): ${side}.${name}.${part} must be a schema (zod 4 or another Standard Schema); use z.void() or z.unknown() when there is nothing to check.`,
          );
        }
      }
    }
  }
  return contract;
}

/**
 * The schemas of `method` on `side` (own properties only: a contract is data,
 * not a prototype chain), or a TypeError naming `where` and the methods there are.
 */
export function schemasFor(
  contract: Contract | undefined,
  side: 'plugin' | 'host',
  method: string,
  where: string,
): MethodSchemas {
  const schemas = anySchemasFor(contract, side, method, where);
  if ('output' in schemas) return schemas;
  throw new TypeError(
    `${where}: ${method} is a stream (its contract gives yields, not output); read it with host.stream(), not host.call().`,
  );
}

/** The schemas of stream method `method`, or a TypeError naming `where` and the fix. */
export function streamSchemasFor(contract: Contract | undefined, method: string, where: string): StreamSchemas {
  const schemas = anySchemasFor(contract, 'plugin', method, where);
  if ('yields' in schemas) return schemas;
  throw new TypeError(
    `${where}: ${method} answers once (its contract gives output, not yields); call it with host.call(), not host.stream().`,
  );
}

function anySchemasFor(
  contract: Contract | undefined,
  side: 'plugin' | 'host',
  method: string,
  where: string,
): MethodSchemas | StreamSchemas {
  const methods = contract?.[side];
  if (methods !== undefined && Object.hasOwn(methods, method)) return methods[method] as MethodSchemas | StreamSchemas;
  const kind = side === 'plugin' ? 'method' : 'host function';
  const names = Object.keys(methods ?? {}).join(', ') || 'none';
  throw new TypeError(
    `${where}: the plugin's contract has no ${kind} ${method} (its ${kind}s: ${names}); declare it under contract.${side}.`,
  );
}

const pathOf = (issue: StandardIssue): string =>
  (issue.path ?? []).map((part) => String(typeof part === 'object' ? part.key : part)).join('.') || '(value)';

/**
 * Validates `value` against `schema` and returns the schema's output, or
 * throws a ValidationError naming `what` and every issue.
 */
export async function validate(schema: StandardSchemaV1, value: unknown, what: string, fix: string): Promise<unknown> {
  return parsed(await schema['~standard'].validate(value), what, fix);
}

/**
 * Issues a ValidationError lists (its message, and its `issues`): a large
 * value can fail a schema once per element, and the error stays small.
 * @default 5
 */
export const MAX_LISTED_ISSUES = 5;

/** Characters of one issue's path or message kept in the error. @default 256 */
const MAX_ISSUE_PART = 256;

const clip = (text: string): string =>
  text.length <= MAX_ISSUE_PART ? text : `${text.slice(0, MAX_ISSUE_PART)}… (${text.length} characters)`;

/** A schema's result: its value, or a ValidationError naming `what` and its first issues. */
export function parsed(result: StandardResult<unknown>, what: string, fix: string): unknown {
  if (result.issues === undefined) return result.value;
  const all = result.issues;
  const issues = all
    .slice(0, MAX_LISTED_ISSUES)
    .map((issue) => ({ path: clip(pathOf(issue)), message: clip(issue.message) }));
  const more = all.length > issues.length ? `; and ${all.length - issues.length} more issues` : '';
  const listed = issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ') + more;
  throw new ValidationError(`${clip(what)} failed its schema (${listed}); ${fix}.`, issues);
}

// Each end of a typed call checks what it sends, so a mistake is reported
// where it was made, and validates what it receives, since the other side is
// untrusted. Raw values travel: the receiver parses them, so a transform in a
// schema runs once.

/**
 * The calling end: checks `input`, sends it, and returns the answer as the output schema parses it.
 * @param answerer who must answer correctly, for the error's fix (`the plugin's scan()`)
 */
export async function sendCall(
  schemas: MethodSchemas,
  where: string,
  input: unknown,
  send: (input: unknown) => Promise<unknown>,
  answerer: string,
): Promise<unknown> {
  await validate(schemas.input, input, `the input of ${where}`, 'pass what the contract says');
  const answer = await send(input);
  return validate(schemas.output, answer, `the output of ${where}`, `${answerer} must return what the contract says`);
}

/**
 * The answering end: parses `input`, runs `answer` on it, checks the result and returns it raw.
 * @param caller who must send correctly (`the host`), for the error's fix
 * @param answerer who must return correctly (`serve.ban`), for the error's fix
 */
export async function answerCall(
  schemas: MethodSchemas,
  where: string,
  input: unknown,
  answer: (input: unknown) => unknown,
  [caller, answerer]: [string, string],
): Promise<unknown> {
  const parsed = await validate(
    schemas.input,
    input,
    `the input of ${where}`,
    `${caller} must send what the contract says`,
  );
  const result = await answer(parsed);
  await validate(schemas.output, result, `the output of ${where}`, `${answerer} must return what the contract says`);
  return result;
}
