import * as z from 'zod/mini';
import { builtOnce } from '../built-once.js';
import { cancelFrame } from './cancel-frame.js';
import { callRequest, patch, pingRequest, reply, replyError, statusRequest, user } from './frames.js';
import { initFrame } from './init-frame.js';
import { moreFrame, streamRequest } from './stream-frames.js';

/** What the host sends, as one union: its type, and the check of a frame of no known type. */
export const hostMessage = builtOnce(() =>
  z.discriminatedUnion('t', [
    initFrame,
    patch(),
    z.discriminatedUnion('kind', [statusRequest(), pingRequest(), callRequest(), streamRequest()]),
    user(),
    cancelFrame(),
    moreFrame(),
    reply(),
    replyError(),
  ]),
);
export type HostMessage = z.infer<ReturnType<typeof hostMessage>>;
export type HostRequest = Extract<HostMessage, { t: 'request' }>;

type Schema<T> = { safeParse(raw: unknown): z.core.util.SafeParseResult<T> };

// A Map, not an object: a kind such as '__proto__' or 'toString' finds nothing.
const requests = new Map<unknown, () => Schema<HostRequest>>([
  ['status', statusRequest],
  ['ping', pingRequest],
  ['call', callRequest],
  ['stream', streamRequest],
]);

/** The schema of a frame of this type, or of this request kind; undefined for none the host sends. */
function schemaOf(frame: { t?: unknown; kind?: unknown }): Schema<HostMessage> | undefined {
  switch (frame.t) {
    case 'init':
      return initFrame;
    case 'set':
      return patch();
    case 'msg':
      return user();
    case 'request':
      return requests.get(frame.kind)?.();
    case 'cancel':
      return cancelFrame();
    case 'more':
      return moreFrame();
    case 'reply':
      return reply();
    case 'reply-error':
      return replyError();
    default:
      return undefined;
  }
}

/**
 * Checks a frame from the host against the schema of its own type, which is
 * all the union would check it against: so a child builds the schemas of the
 * frame types it gets, as it gets them, and the union only for a frame of no
 * known type, to say what is wrong with it. Parsed by the child only.
 */
export function parseHostMessage(raw: unknown): z.core.util.SafeParseResult<HostMessage> {
  const schema = typeof raw === 'object' && raw !== null ? schemaOf(raw) : undefined;
  return (schema ?? hostMessage()).safeParse(raw);
}
