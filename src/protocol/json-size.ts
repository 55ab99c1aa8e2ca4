// A child's data arrives structured-cloned: small on the wire, but its JSON
// can be enormous (`a[1e8 - 1] = 1` is 26 bytes sent and 500 MB of `null,`;
// one object referenced a million times is sent once). Before the host keeps,
// renders or forwards such data as JSON it measures it here, in time and
// memory bounded by the limit, never by what the JSON would be.

/** Nesting deeper than this is refused: JSON.stringify would recurse that deep. */
export const MAX_JSON_DEPTH = 1000;

/** The JSON's size in bytes, or why it cannot be had within the limit. */
export type JsonSize = { bytes: number } | { over: string };

class Over extends Error {}

/** How JSON writes a number, counted without making the string for the common small integers. */
const numberBytes = (n: number): number => {
  if (n >= 0 && n < 1e6 && Number.isInteger(n))
    return n < 10 ? 1 : n < 100 ? 2 : n < 1000 ? 3 : n < 1e4 ? 4 : n < 1e5 ? 5 : 6;
  return Number.isFinite(n) ? String(n).length : 4;
};

/**
 * The bytes `JSON.stringify(value)` would write (UTF-8; `undefined` counts as
 * `null`), measured by a walk that stops as soon as the count passes `limit`:
 * its cost is linear in `limit`, whatever the value. An array's holes are
 * counted by its length without visiting them, so a sparse array costs as
 * little as its elements; shared and cyclic references are counted at every
 * visit, as JSON would repeat them.
 */
export function jsonSize(value: unknown, limit: number): JsonSize {
  let bytes = 0;
  const add = (n: number) => {
    bytes += n;
    if (bytes > limit) throw new Over(`more than ${limit} bytes of JSON`);
  };
  const walk = (item: unknown, depth: number, inArray: boolean): boolean => {
    switch (typeof item) {
      case 'string':
        // Escapes are not counted: they make a string's JSON at most 6 times its bytes, which arrived bounded.
        add(Buffer.byteLength(item) + 2);
        return true;
      case 'number':
        add(numberBytes(item));
        return true;
      case 'boolean':
        add(item ? 4 : 5);
        return true;
      case 'bigint':
        // JSON refuses it; counted as its digits, so that whoever stringifies learns why from JSON itself.
        add(item.toString().length);
        return true;
      case 'undefined':
      case 'function':
      case 'symbol':
        if (inArray) add(4);
        return inArray;
    }
    if (item === null) {
      add(4);
      return true;
    }
    if (depth >= MAX_JSON_DEPTH) throw new Over(`nested more than ${MAX_JSON_DEPTH} levels deep`);
    const object = item as object;
    if (object instanceof Date) {
      add(Number.isNaN(object.getTime()) ? 4 : 26);
      return true;
    }
    if (Array.isArray(object)) {
      const { length } = object;
      // Every element takes a byte and a comma at least: a length past the limit is refused before any is read.
      if (bytes + 2 * length + 1 > limit) throw new Over(`more than ${limit} bytes of JSON`);
      add(1 + Math.max(1, length));
      for (let index = 0; index < length; index++) {
        const element = (object as unknown[])[index];
        // A hole reads as undefined and is `null`, like undefined itself: no need to tell them apart.
        if (typeof element === 'number') add(numberBytes(element));
        else walk(element, depth + 1, true);
      }
      return true;
    }
    if (ArrayBuffer.isView(object)) {
      // A typed array's JSON is an object of its indices, `"12":255,`: counted per element, unread.
      const length = (object as { length?: number }).length ?? object.byteLength;
      const element = (object as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT ?? 1;
      add(2 + length * (String(length).length + 4 + 3 * element));
      return true;
    }
    add(2);
    let first = true;
    for (const key in object) {
      if (!Object.hasOwn(object, key)) continue;
      const before = bytes;
      add(Buffer.byteLength(key) + 3 + (first ? 0 : 1));
      if (walk((object as Record<string, unknown>)[key], depth + 1, false)) first = false;
      else bytes = before;
    }
    return true;
  };
  try {
    walk(value, 0, true);
  } catch (error) {
    if (error instanceof Over) return { over: error.message };
    throw error;
  }
  return { bytes };
}
