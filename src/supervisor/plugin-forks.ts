import { PluginThread, trackStarted, untrack } from '../module-functions.js';
import { moduleSpec } from '../thread-config.js';
import type { LogEntry } from './events.js';
import { PluginProcess } from './life.js';
import { type ForkSetup, pluginPort } from './plugin-process.js';
import { PluginSpares } from './plugin-spares.js';
import type { PluginPlan } from './spec-plan.js';

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
      moduleUrl: moduleSpec(plan.module, plan.export).module,
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

  /** Forks and starts a new process; `onExit` is called as PluginProcess says. */
  fork(onExit: (process: PluginProcess) => void): PluginProcess {
    const spec = moduleSpec(this.#plan.module, this.#plan.export);
    const port = pluginPort(this.#plan, this.#setup);
    const process = new PluginProcess(port, spec, onExit);
    // Listed by enumerate() from its start until its exit is seen, as a started JailThread is.
    const listed = new PluginThread(this.#plan.name, port);
    trackStarted(listed);
    void port.exited.then(() => untrack(listed));
    return process;
  }

  /** Fills the pool of spares with processes forked as `latest` was, while `wanted()`. */
  keepSpares(latest: PluginProcess | undefined, wanted: () => boolean): Promise<void> {
    return this.#spares.keep(latest?.port.processOptions, wanted);
  }

  releaseSpares(): void {
    this.#spares.release();
  }
}
