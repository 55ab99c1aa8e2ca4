import * as z from 'zod/mini';
import { builtOnce } from '../built-once.js';

/** Child to host: a plugin's published event, validated by the plugin before it leaves and by the host on arrival. */
export const eventFrame = builtOnce(() =>
  z.strictObject({ t: z.literal('event'), event: z.string(), data: z.unknown() }),
);
export type EventFrame = z.infer<ReturnType<typeof eventFrame>>;
