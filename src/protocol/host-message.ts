import * as z from 'zod/mini';
import { callRequest, patch, pingRequest, reply, replyError, statusRequest, user } from './frames.js';
import { initFrame } from './init-frame.js';

/**
 * What the host sends; parsed by the child only, so only the child builds it,
 * and only once its thread is running (see ChildRuntime).
 */
export const hostMessage = z.discriminatedUnion('t', [
  initFrame,
  patch,
  z.discriminatedUnion('kind', [statusRequest, pingRequest, callRequest]),
  user,
  reply,
  replyError,
]);
export type HostMessage = z.infer<typeof hostMessage>;
export type HostRequest = Extract<HostMessage, { t: 'request' }>;
