import { ThreadTimeoutError } from '../errors.js';
import type { HostController, Pong } from '../host/controller.js';
import { internals, type JailThread } from '../thread.js';
import type { PluginPlan } from './spec.js';

const MiB = 1024 * 1024;

/** What a health watch reports to its plugin's supervisor. */
export interface HealthHooks {
  /** False once the process is no longer the plugin's one, or is being stopped: the watch ends. */
  watching(): boolean;
  /** Each answer to a ping: the process's memory. */
  pong(pong: Pong): void;
  /** Resident memory is over `limits.maxRssMb`: the supervisor recycles the process, and the watch ends. */
  overLimit(rss: number, limitMb: number): void;
  /** No answer within `health.timeout`: the supervisor kills the process, and the watch ends. */
  unresponsive(): void;
}

/**
 * Pings the plugin's event loop every `health.interval` ms while `watching()`.
 * Returns the function that ends the watch.
 */
export function watchHealth(thread: JailThread, plan: PluginPlan, hooks: HealthHooks): () => void {
  const { health, limits } = plan;
  const controller = internals.controller(thread) as HostController | undefined;
  if (health === undefined || controller === undefined) return () => undefined;
  let timer: NodeJS.Timeout | undefined;
  let ended = false;
  const watching = () => !ended && thread.isAlive() && hooks.watching();
  const tick = async () => {
    if (!watching()) return;
    try {
      const pong = await controller.ping(health.timeout);
      if (!watching()) return;
      hooks.pong(pong);
      if (limits.maxRssMb !== undefined && pong.rss > limits.maxRssMb * MiB) {
        hooks.overLimit(pong.rss, limits.maxRssMb);
        return;
      }
    } catch (error) {
      if (error instanceof ThreadTimeoutError && watching()) hooks.unresponsive();
      return;
    }
    // Health checks never keep the host alive: the plugin's own process does while it runs.
    timer = setTimeout(tick, health.interval).unref();
  };
  timer = setTimeout(tick, health.interval).unref();
  return () => {
    ended = true;
    clearTimeout(timer);
  };
}
