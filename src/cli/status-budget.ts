import { MAX_STATUS_BYTES } from '../host/kept-status.js';
import { jsonSize } from '../protocol/json-size.js';
import { messageOf } from './errors.js';
import { formatBytes } from './format-status.js';
import type { PluginRow, StatusRow } from './host-api.js';

/**
 * A row's bytes of JSON, measured by a bounded walk first: a status made of
 * holes (a sparse array) would cost gigabytes to stringify.
 */
const jsonBytes = (value: unknown): number => {
  const size = jsonSize(value, MAX_STATUS_BYTES);
  if ('over' in size) throw new TooLarge(size.over);
  return Buffer.byteLength(JSON.stringify(value) ?? 'null');
};

class TooLarge extends Error {}

/**
 * The rows with every status the answer has room for. A status that cannot
 * be JSON, and then the largest statuses until the rows fit in `budget`
 * bytes of JSON, are replaced by null and a `statusError` saying why: one
 * plugin's oversized status costs that jail its status, not every jail its
 * row. Linear in the rows' size, plus a sort of the rows.
 */
export function fitStatuses(rows: readonly PluginRow[], budget: number): StatusRow[] {
  const fitted: StatusRow[] = rows.map((row) => ({ ...row }));
  const sizes = new Array<number>(fitted.length);
  const drop = (index: number, error: string) => {
    fitted[index] = { ...(fitted[index] as StatusRow), status: null, statusError: error };
    sizes[index] = jsonBytes(fitted[index]);
  };
  fitted.forEach((row, index) => {
    try {
      sizes[index] = jsonBytes(row);
    } catch (error) {
      if (error instanceof TooLarge) {
        drop(
          index,
          `its status is ${error.message}, more than the control socket's answers have room for; make its status() return less`,
        );
      } else
        drop(index, `its status cannot be sent as JSON (${messageOf(error)}); make its status() return plain data`);
    }
  });
  // Brackets and commas of the array.
  let total = 2 + Math.max(0, fitted.length - 1) + sizes.reduce((sum, size) => sum + size, 0);
  const largestFirst = [...sizes.keys()].sort((a, b) => (sizes[b] as number) - (sizes[a] as number));
  for (const index of largestFirst) {
    if (total <= budget) break;
    const before = sizes[index] as number;
    drop(
      index,
      `its status is ${formatBytes(before)} of JSON, more than the control socket's answers (at most ${formatBytes(budget)} for all jails) have room for; make its status() return less`,
    );
    total += (sizes[index] as number) - before;
  }
  return fitted;
}
