import { existsSync } from 'node:fs';
import type { Pong } from '../host/controller.js';
import type { ThreadPort } from '../host/port.js';
import { residentBytes } from '../host/rss.js';
import type { PluginHostEvents } from './events.js';
import type { PluginPlan } from './spec-plan.js';

const MiB = 1024 * 1024;

let proc: boolean | undefined;
/** Whether the kernel shows processes in /proc: there the host reads a plugin's memory itself. */
const hasProc = (): boolean => {
  proc ??= existsSync('/proc/self/status');
  return proc;
};

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

/** How often `maxRssMb` is read from /proc when health pings are off. */
export const RSS_INTERVAL = 1000;

/**
 * Pings the plugin's event loop every `health.interval` ms while `watching()`:
 * any ping that is not a valid answer within `health.timeout` (no answer, an
 * error, a value of the wrong shape) and the process is killed
 * ('unresponsive'). Resident memory is read by the host from /proc on a timer
 * of its own, with pings or without: over `limits.maxRssMb` and the process
 * is stopped gracefully ('recycle'); only where there is no /proc does the
 * ping's own figure count. Its end is then the policy's to handle. Returns
 * the function that ends the watch.
 */
export function watchHealth(port: ThreadPort, plan: PluginPlan, hooks: HealthHooks): () => void {
  const { health, limits, name } = plan;
  const timers = new Set<NodeJS.Timeout>();
  let ended = false;
  const watching = () => !ended && port.isAlive() && hooks.watching();
  // Health checks never keep the host alive: the plugin's own process does while it runs.
  const after = (ms: number, tick: () => Promise<void>) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      void tick();
    }, ms).unref();
    timers.add(timer);
  };
  /** True once the process is over its limit, and being recycled. */
  const overLimit = (rss: number): boolean => {
    if (limits.maxRssMb === undefined || rss <= limits.maxRssMb * MiB || !watching()) return false;
    ended = true;
    const limitMb = limits.maxRssMb;
    const reason = `resident memory ${(rss / MiB).toFixed(1)} MiB is over the limit of ${limitMb} MiB`;
    hooks.emit('recycle', { plugin: name, reason, rss, limit: limitMb * MiB });
    hooks.end({ reason: 'rss limit', crash: false });
    return true;
  };
  const pid = port.pid;
  if (limits.maxRssMb !== undefined && pid !== undefined && hasProc()) {
    const interval = health?.interval ?? RSS_INTERVAL;
    const read = async () => {
      if (!watching()) return;
      const rss = await residentBytes(pid);
      if (rss !== undefined && overLimit(rss)) return;
      if (watching()) after(interval, read);
    };
    after(interval, read);
  }
  if (health !== undefined) {
    const ping = async () => {
      if (!watching()) return;
      try {
        const pong = await port.ping(health.timeout);
        if (!watching()) return;
        hooks.pong(pong);
        if (overLimit(pong.rss)) return;
      } catch {
        // Whatever the child answered instead, a ping without a valid answer is a failed one:
        // an error it throws (a broken process.memoryUsage, no fds left) must not switch the checks off.
        if (watching()) {
          ended = true;
          hooks.emit('unresponsive', { plugin: name, pid: port.pid, timeout: health.timeout });
          hooks.end({ reason: 'unresponsive', crash: true });
        }
        return;
      }
      after(health.interval, ping);
    };
    after(health.interval, ping);
  }
  return () => {
    ended = true;
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
  };
}
