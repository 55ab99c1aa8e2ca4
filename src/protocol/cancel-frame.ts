import * as z from 'zod/mini';
import { builtOnce } from '../built-once.js';

/**
 * Either way: the caller no longer waits for request `id`, because its signal
 * aborted or its timeout ran out. The callee aborts the signal it handed the
 * method and sends no answer; an id it does not know (answered already) is ignored.
 */
export const cancelFrame = builtOnce(() =>
  z.strictObject({ t: z.literal('cancel'), id: z.number(), reason: z.enum(['aborted', 'timed-out']) }),
);
export type CancelFrame = z.infer<ReturnType<typeof cancelFrame>>;
