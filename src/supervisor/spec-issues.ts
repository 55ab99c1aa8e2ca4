// What both spec readers need to turn a schema's issues into messages that
// name the field as the user wrote it: the path, the keys a typo could have
// meant, and a short picture of the value.
import type * as z from 'zod/mini';

/** A name JavaScript accepts as a property after a dot, or as a method's or an export's name. */
export const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `plugins[1].backoff.max`, `routes["bad name"]`: the way a reader finds the field in what they wrote. */
export const fieldPath = (segments: readonly PropertyKey[]): string =>
  segments.reduce<string>((out, segment) => {
    if (typeof segment === 'number') return `${out}[${segment}]`;
    const key = String(segment);
    const plain = IDENTIFIER.test(key) ? key : JSON.stringify(key);
    return out === '' ? plain : IDENTIFIER.test(key) ? `${out}.${key}` : `${out}[${plain}]`;
  }, '');

/** A value as JSON, cut short: messages quote what was given without repeating a whole file. */
export const show = (value: unknown): string => {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 40 ? `${text.slice(0, 37)}...` : text;
};

/** What kind of value was given: `a string`, `an array`, `null`. */
export const kind = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'an array' : value === undefined ? 'nothing' : `a ${typeof value}`;

/** zod's `expected` in a reader's words. */
export const EXPECTED: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
  record: 'an object',
};

type AnySchema = z.core.$ZodType;

/** The keys an object schema allows at `segments`, so an unknown-key message can list them. */
export function allowedKeys(schema: AnySchema, segments: readonly PropertyKey[]): string[] {
  let current: AnySchema | undefined = schema;
  const unwrap = () => {
    for (;;) {
      const def: z.core.$ZodTypeDef | undefined = current?._zod.def;
      if (def?.type === 'optional') current = (def as z.core.$ZodOptionalDef).innerType;
      else if (def?.type === 'union')
        current = (def as z.core.$ZodUnionDef).options.find((option) => option._zod.def.type === 'object');
      else return;
    }
  };
  for (const segment of segments) {
    unwrap();
    const def: z.core.$ZodTypeDef | undefined = current?._zod.def;
    if (def?.type === 'array') current = (def as z.core.$ZodArrayDef).element;
    else if (def?.type === 'object') current = (def as z.core.$ZodObjectDef).shape[String(segment)];
    else return [];
  }
  unwrap();
  const def = current?._zod.def;
  return def?.type === 'object' ? Object.keys((def as z.core.$ZodObjectDef).shape) : [];
}
