import * as z from 'zod/mini';
import { builtOnce } from '../built-once.js';
import { errorData } from './error-data.js';

// A stream is a request whose answer comes in items, pulled by credit: the
// host grants `credit` items with the request and more with each `more` as its
// reader takes them, and the child sends no item it has no credit for, so a
// slow reader stops the plugin's generator instead of growing the host's memory.

/** The most items a stream's reader may hold unread, and so the most credit granted at once. */
export const MAX_HIGH_WATER_MARK = 65_536;

const credit = () => z.number().check(z.int(), z.minimum(1), z.maximum(MAX_HIGH_WATER_MARK));

/** Host to child: run stream method `method` and send up to `credit` items. */
export const streamRequest = builtOnce(() =>
  z.strictObject({
    t: z.literal('request'),
    id: z.number(),
    kind: z.literal('stream'),
    method: z.string(),
    input: z.unknown(),
    credit: credit(),
  }),
);
/** Host to child: the reader took items; send `credit` more. */
export const moreFrame = builtOnce(() => z.strictObject({ t: z.literal('more'), id: z.number(), credit: credit() }));
/** Child to host: one item of stream `id`. */
export const itemFrame = builtOnce(() => z.strictObject({ t: z.literal('item'), id: z.number(), value: z.unknown() }));
/** Child to host: stream `id` ended, by returning or by throwing `error`. */
export const endFrame = builtOnce(() =>
  z.strictObject({ t: z.literal('end'), id: z.number(), error: z.optional(errorData()) }),
);

export type StreamRequest = z.infer<ReturnType<typeof streamRequest>>;
export type MoreFrame = z.infer<ReturnType<typeof moreFrame>>;
export type ItemFrame = z.infer<ReturnType<typeof itemFrame>>;
export type EndFrame = z.infer<ReturnType<typeof endFrame>>;
