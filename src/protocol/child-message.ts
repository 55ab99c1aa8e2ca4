import * as z from 'zod/mini';
import { builtOnce } from '../built-once.js';
import { cancelFrame } from './cancel-frame.js';
import { eventFrame } from './event-frame.js';
import { callRequest, errorData, patch, reply, replyError, user } from './frames.js';
import { endFrame, itemFrame } from './stream-frames.js';

/** What the child sends; parsed by the host only, so only the host builds it. */
export const childMessage = builtOnce(() =>
  z.discriminatedUnion('t', [
    z.strictObject({ t: z.literal('ready') }),
    // A spare has its init frame: from here its end is its thread's, not a lost spare's.
    z.strictObject({ t: z.literal('adopted') }),
    z.strictObject({ t: z.literal('started') }),
    z.strictObject({ t: z.literal('start-failed'), error: errorData() }),
    patch(),
    z.strictObject({ t: z.literal('run-error'), error: errorData() }),
    z.strictObject({ t: z.literal('finished'), status: z.unknown() }),
    user(),
    // A child asks the host only to call its functions: status and pings go the other way.
    callRequest(),
    cancelFrame(),
    eventFrame(),
    itemFrame(),
    endFrame(),
    reply(),
    replyError(),
  ]),
);
export type ChildMessage = z.infer<ReturnType<typeof childMessage>>;
