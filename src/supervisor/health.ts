import { ThreadTimeoutError } from '../errors.js';
import type { Pong } from '../host/controller.js';
import type { ThreadPort } from '../host/port.js';
import type { PluginHostEvents } from './events.js';
import type { PluginPlan } from './spec-plan.js';

const MiB = 1024 * 1024;

/** Why the health watch ended a process, and whether that counts as a crash. */
export interface HealthEnding {
  reason: 'unresponsive' | 'rss limit';
  crash: boolean;
}

/** What a health watch needs of its plugin's supervisor. */
export interface HealthHooks {
  /** False once the process is no longer the plugin's one, or is being stopped: the watch ends. */
  watching(): boolean;
  /** Each answer to a ping: the process's memory. */
  pong(pong: Pong): void;
  /**
   * Ends the process, through the one place its supervisor ends it (PluginProcess.end): killed if
   * unresponsive, stopped gracefully if over its memory limit; its end is told apart from a crash of its own.
   */
  end(ending: HealthEnding): void;
  emit<K extends keyof PluginHostEvents>(event: K, ...args: PluginHostEvents[K]): void;
}

/**
 * Pings the plugin's event loop every `health.interval` ms while `watching()`:
 * no answer within `health.timeout` and the process is killed ('unresponsive');
 * resident memory over `limits.maxRssMb` and it is stopped gracefully
 * ('recycle'). Its end is then the policy's to handle. Returns the function
 * that ends the watch.
 */
export function watchHealth(port: ThreadPort, plan: PluginPlan, hooks: HealthHooks): () => void {
  const { health, limits, name } = plan;
  if (health === undefined) return () => undefined;
  let timer: NodeJS.Timeout | undefined;
  let ended = false;
  const watching = () => !ended && port.isAlive() && hooks.watching();
  const tick = async () => {
    if (!watching()) return;
    try {
      const pong = await port.ping(health.timeout);
      if (!watching()) return;
      hooks.pong(pong);
      if (limits.maxRssMb !== undefined && pong.rss > limits.maxRssMb * MiB) {
        const limitMb = limits.maxRssMb;
        const reason = `resident memory ${(pong.rss / MiB).toFixed(1)} MiB is over the limit of ${limitMb} MiB`;
        hooks.emit('recycle', { plugin: name, reason, rss: pong.rss, limit: limitMb * MiB });
        hooks.end({ reason: 'rss limit', crash: false });
        return;
      }
    } catch (error) {
      if (error instanceof ThreadTimeoutError && watching()) {
        hooks.emit('unresponsive', { plugin: name, pid: port.pid, timeout: health.timeout });
        hooks.end({ reason: 'unresponsive', crash: true });
      }
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
