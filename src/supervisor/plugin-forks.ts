import { handleOf } from '../host/handle.js';
import { toModuleUrl } from '../module-url.js';
import { type Life, newLife } from './life.js';
import { type ForkSetup, forkPlugin, type LogEntry } from './plugin-process.js';
import { PluginSpares } from './plugin-spares.js';
import type { PluginPlan } from './spec.js';

/** Numbers the plugins' pools of spares: two hosts may each have a plugin of the same name. */
let pools = 0;

/**
 * How a plugin's processes are made, kept apart from when they are (the
 * supervisor's concern): every life is forked with one setup, and the plugin's
 * spares are forked as its latest life was, so a restart can adopt one.
 */
export class PluginForks {
  readonly #plan: PluginPlan;
  readonly #setup: ForkSetup;
  readonly #spares: PluginSpares;

  constructor(plan: PluginPlan, logger: ((entry: LogEntry) => void) | undefined, onError: (error: Error) => void) {
    this.#plan = plan;
    this.#setup = {
      moduleUrl: toModuleUrl(plan.module),
      idle: plan.options.idle === true,
      pool: `${plan.name}#${++pools}`,
      logger,
      onError,
    };
    this.#spares = new PluginSpares(plan.spares, onError, plan.preloadSpares ? this.#setup.moduleUrl : undefined);
  }

  /** The idle flag the next life starts with: setIdle() outlives the process it was called on. */
  set idle(idle: boolean) {
    this.#setup.idle = idle;
  }

  /** Forks and starts a new life; `onExit` is called as newLife() says. */
  fork(onExit: (life: Life) => void): Life {
    const life = newLife(forkPlugin(this.#plan, this.#setup), () => onExit(life));
    return life;
  }

  /** Fills the pool of spares with processes forked as `latest` was, while `wanted()`. */
  keepSpares(latest: Life | undefined, wanted: () => boolean): Promise<void> {
    const options = latest === undefined ? undefined : handleOf(latest.thread)?.processOptions;
    return this.#spares.keep(options, wanted);
  }

  releaseSpares(): void {
    this.#spares.release();
  }
}
