import path from 'node:path';
import { currentDirectory } from '../cwd.js';
import { ThreadStateError, ThreadTimeoutError } from '../errors.js';
import type { HostController } from '../host/controller.js';
import { describeExit } from '../host/exit-reason.js';
import { toModuleUrl } from '../module-url.js';
import type { ProcessOptions } from '../options.js';
import { answerCall, schemasFor, sendCall } from '../plugin/contract.js';
import { internals, JailThread } from '../thread.js';
import type { PluginHostEvents, PluginRow, PluginState } from './events.js';
import { RestartBudget } from './restart-budget.js';
import { pluginEnv, sandboxFlags } from './sandbox.js';
import type { PluginPlan } from './spec.js';

const MiB = 1024 * 1024;

/** Numbers the plugins' pools of spares: two hosts may each have a plugin of the same name. */
let pools = 0;

/** A plugin's output line, for a PluginHost's logger. */
export interface LogEntry {
  plugin: string;
  stream: 'stdout' | 'stderr';
  line: string;
}

/** What a supervised plugin needs of its host. */
export interface SupervisorContext {
  emit<K extends keyof PluginHostEvents>(event: K, ...args: PluginHostEvents[K]): void;
  logger: ((entry: LogEntry) => void) | undefined;
}

/** Why the supervisor itself ended a process, and whether that counts as a crash. */
interface Ending {
  reason: string;
  crash: boolean;
}

/**
 * One plugin under supervision: starts its process, watches its health and
 * memory, and applies its restart policy when the process ends. Each process
 * is a fresh JailThread; its events are ignored once a newer one replaced it.
 */
export class SupervisedPlugin {
  readonly plan: PluginPlan;
  readonly #context: SupervisorContext;
  readonly #budget: RestartBudget;
  readonly #module: string;
  #state: PluginState = 'stopped';
  #thread: JailThread | undefined;
  #pid: number | null = null;
  #restarts = 0;
  #startedAt: number | undefined;
  #lastExit: string | null = null;
  #lastStatus: unknown;
  #memory: PluginRow['memory'] = null;
  #idle: boolean;
  /** Whether the plugin should be up: false once stop() is asked or the plugin is given up. */
  #wanted = false;
  #ending: Ending | undefined;
  /** The restart to announce once the new process has begun. */
  #restarting: { delay: number; reason: string } | undefined;
  #backoff: NodeJS.Timeout | undefined;
  #health: NodeJS.Timeout | undefined;
  readonly #pool: string;
  /** The options the plugin's pool of spares was filled for: the pool to end. */
  #spared: ProcessOptions | undefined;
  /** Loaded with the first spares, so that ending them is synchronous. */
  #spares: typeof import('../host/spares.js') | undefined;
  /** Counts stop() and kill() calls: a restart() they overtook does not start the plugin again. */
  #stops = 0;

  constructor(plan: PluginPlan, context: SupervisorContext) {
    this.plan = plan;
    this.#context = context;
    this.#budget = new RestartBudget(plan.maxRestarts, plan.restartWindow, plan.backoff);
    this.#module = toModuleUrl(plan.module);
    this.#idle = plan.options.idle === true;
    this.#pool = `${plan.name}#${++pools}`;
  }

  get state(): PluginState {
    return this.#state === 'running' && this.#thread?.idle === true ? 'idle' : this.#state;
  }

  /**
   * Starts the plugin unless it is up or about to be; resolves once `run()`
   * began or the start failed, and the plugin's spares are ready.
   */
  async start(): Promise<void> {
    this.#wanted = true;
    if (this.#backoff !== undefined || this.#thread?.isAlive() === true) return;
    await this.#launch();
    await this.#keepSpares();
  }

  /** Stops the plugin for good (until the next start() or restart()), forced after its shutdown timeout. */
  async stop(): Promise<void> {
    this.#stops++;
    this.#releaseSpares();
    await this.#halt();
  }

  async #halt(): Promise<void> {
    this.#wanted = false;
    this.#restarting = undefined;
    clearTimeout(this.#backoff);
    this.#backoff = undefined;
    const thread = this.#thread;
    if (thread?.isAlive() === true) {
      this.#state = 'stopping';
      await thread.stop({ timeout: this.plan.shutdownTimeout });
    }
    this.#state = 'stopped';
  }

  /** Stops the plugin gracefully and starts it again (from a spare if it has one) with a fresh restart budget. */
  async restart(): Promise<void> {
    const stops = this.#stops;
    await this.#halt();
    if (stops !== this.#stops) return;
    this.#budget.reset();
    this.#restarts++;
    this.#restarting = { delay: 0, reason: 'restart() was called' };
    this.#wanted = true;
    await this.#launch();
    // Refills a pool ended when the plugin was given up.
    await this.#keepSpares();
  }

  /** Ends the process at once (a second Ctrl-C): no graceful stop, no restart. */
  kill(): void {
    this.#stops++;
    this.#releaseSpares();
    this.#wanted = false;
    clearTimeout(this.#backoff);
    this.#backoff = undefined;
    if (this.#thread?.isAlive() === true && this.#thread.ident !== undefined) this.#thread.kill();
  }

  setIdle(idle: boolean): void {
    this.#idle = idle;
    if (this.#thread?.isAlive() === true) this.#thread.idle = idle;
  }

  /** Calls the plugin's method `method`, validating the input before it leaves and the output when it arrives. */
  async call(method: string, input: unknown, timeout: number): Promise<unknown> {
    const where = `host.call("${this.plan.name}", "${method}")`;
    const schemas = schemasFor(this.plan.contract, 'plugin', method, where);
    const send = (sent: unknown) => this.#live(where).call(method, sent, timeout);
    return sendCall(schemas, where, input, send, `the plugin's ${method}()`);
  }

  #live(where: string): HostController {
    const state = this.state;
    const controller = this.#thread === undefined ? undefined : internals.controller(this.#thread);
    if ((state !== 'running' && state !== 'idle') || controller === undefined) {
      throw new ThreadStateError(
        `${where}: plugin "${this.plan.name}" is ${state}, not running; wait for it to start (host.start(), or its restart after backoff).`,
      );
    }
    return controller;
  }

  async row(): Promise<PluginRow> {
    const state = this.state;
    let status = this.#lastStatus;
    if ((state === 'running' || state === 'idle') && this.#thread !== undefined) {
      const timeout = this.plan.health?.timeout ?? 3000;
      status = await this.#thread
        .getStatus(undefined, { timeout })
        .catch((error: Error) => ({ error: `${error.name}: ${error.message}` }));
    }
    return {
      name: this.plan.name,
      state,
      pid: this.#pid,
      restarts: this.#restarts,
      uptime: this.#startedAt === undefined ? null : Date.now() - this.#startedAt,
      memory: this.#memory,
      lastExit: this.#lastExit,
      status,
    };
  }

  async #launch(): Promise<void> {
    this.#backoff = undefined;
    this.#ending = undefined;
    this.#state = 'starting';
    const thread = this.#fork();
    this.#thread = thread;
    let begun = false;
    thread.once('exit', () => {
      if (begun) this.#ended(thread);
    });
    try {
      await thread.start();
    } catch (error) {
      this.#pid = thread.ident ?? this.#pid;
      this.#ended(thread, error as Error);
      return;
    }
    begun = true;
    this.#pid = thread.ident ?? null;
    if (!thread.isAlive()) {
      this.#ended(thread);
      return;
    }
    // A stop() that came during the start owns the state from here.
    if (!this.#wanted || thread !== this.#thread) return;
    this.#state = 'running';
    this.#startedAt = Date.now();
    if (this.#restarting !== undefined) {
      const { delay, reason } = this.#restarting;
      this.#restarting = undefined;
      this.#context.emit('restart', {
        plugin: this.plan.name,
        attempt: this.#restarts,
        delay,
        pid: thread.ident,
        reason,
      });
    }
    this.#watchHealth(thread);
  }

  #fork(): JailThread {
    const { plan } = this;
    const here = currentDirectory();
    const cwd = here === undefined ? plan.cwd : path.resolve(here, plan.cwd ?? '.');
    const thread = JailThread.fromModule(plan.module, {
      ...plan.options,
      export: plan.export,
      name: plan.name,
      daemon: false,
      idle: this.#idle,
      execArgv: [...plan.execArgv, ...(plan.sandbox === undefined ? [] : sandboxFlags(plan.sandbox, this.#module))],
      env: pluginEnv(plan.envAllow, plan.env),
      // Resolved now, not when a spare is forked: the pool of spares is keyed by it.
      ...(cwd === undefined ? {} : { cwd }),
      stopTimeout: plan.shutdownTimeout,
      ...(plan.limits.maxOldGenerationSizeMb === undefined
        ? {}
        : { maxOldGenerationSizeMb: plan.limits.maxOldGenerationSizeMb }),
      output: 'prefix',
    });
    const { logger } = this.#context;
    internals.supervise(thread, {
      hooks: {
        serve: (method, input) => this.#serve(method, input),
        ...(logger === undefined ? {} : { onLine: (stream, line) => logger({ plugin: plan.name, stream, line }) }),
      },
      isolateEnv: true,
      captureOutput: logger !== undefined,
      pool: this.#pool,
    });
    thread.on('error', (error) => this.#context.emit('error', error, plan.name));
    return thread;
  }

  /** A call from the plugin to a host function: the plugin is untrusted, so its input is checked here too. */
  async #serve(method: string, input: unknown): Promise<unknown> {
    const where = `plugin "${this.plan.name}" calling host function ${method}`;
    const schemas = schemasFor(this.plan.contract, 'host', method, where);
    const handler = Object.hasOwn(this.plan.serve, method) ? this.plan.serve[method] : undefined;
    if (handler === undefined) {
      throw new TypeError(
        `${where}: the host serves no such function to this plugin (it serves: ${Object.keys(this.plan.serve).join(', ') || 'none'}); add it to the spec's serve.`,
      );
    }
    const answer = (parsed: unknown) => handler(parsed, { plugin: this.plan.name });
    return answerCall(schemas, where, input, answer, ['the plugin', `serve.${method}`]);
  }

  #watchHealth(thread: JailThread): void {
    const { health, limits } = this.plan;
    if (health === undefined) return;
    const controller = internals.controller(thread) as HostController;
    const tick = async () => {
      if (thread !== this.#thread || this.state === 'stopping' || !thread.isAlive()) return;
      try {
        const pong = await controller.ping(health.timeout);
        this.#memory = pong;
        if (limits.maxRssMb !== undefined && pong.rss > limits.maxRssMb * MiB) {
          await this.#recycle(thread, pong.rss, limits.maxRssMb);
          return;
        }
      } catch (error) {
        if (error instanceof ThreadTimeoutError && thread === this.#thread && thread.isAlive()) {
          this.#unresponsive(thread, health.timeout);
        }
        return;
      }
      this.#health = setTimeout(tick, health.interval).unref();
    };
    // Health checks never keep the host alive: the plugin's own process does while it runs.
    this.#health = setTimeout(tick, health.interval).unref();
  }

  #unresponsive(thread: JailThread, timeout: number): void {
    this.#ending = { reason: 'unresponsive', crash: true };
    this.#context.emit('unresponsive', { plugin: this.plan.name, pid: thread.ident, timeout });
    thread.kill();
  }

  async #recycle(thread: JailThread, rss: number, limitMb: number): Promise<void> {
    this.#ending = { reason: 'rss limit', crash: false };
    this.#context.emit('recycle', {
      plugin: this.plan.name,
      reason: `resident memory ${(rss / MiB).toFixed(1)} MiB is over the limit of ${limitMb} MiB`,
      rss,
      limit: limitMb * MiB,
    });
    this.#state = 'stopping';
    await thread.stop({ timeout: this.plan.shutdownTimeout });
  }

  /** The process ended, or never began: apply the restart policy. */
  #ended(thread: JailThread, startError?: Error): void {
    if (thread !== this.#thread) return;
    clearTimeout(this.#health);
    const uptime = this.#startedAt === undefined ? 0 : Date.now() - this.#startedAt;
    this.#startedAt = undefined;
    this.#memory = null;
    const exitReason = thread.exitReason;
    const how = this.#ending?.reason ?? describeExit(exitReason ?? 'exit', thread.exitCode, thread.signalCode);
    this.#lastExit = startError === undefined ? how : `start failed (${how})`;
    this.#context.emit('exit', {
      plugin: this.plan.name,
      reason: this.#lastExit,
      exitCode: thread.exitCode,
      signalCode: thread.signalCode,
      exitReason,
    });
    thread.getStatus().then(
      (status) => {
        if (thread === this.#thread) this.#lastStatus = status;
      },
      () => undefined,
    );
    if (!this.#wanted) {
      this.#state = 'stopped';
      return;
    }
    const failed = this.#ending !== undefined || startError !== undefined || thread.exitCode !== 0;
    if (failed && this.#ending?.crash !== false) {
      this.#context.emit('crash', {
        plugin: this.plan.name,
        reason: this.#lastExit,
        exitReason,
        ...(startError === undefined ? {} : { error: startError }),
      });
    }
    if (!failed && this.plan.restart !== 'always') {
      this.#wanted = false;
      this.#state = 'stopped';
      this.#releaseSpares();
      return;
    }
    if (this.plan.restart === 'never') {
      this.#giveUp(`it ended (${this.#lastExit}) and its restart policy is 'never'`);
      return;
    }
    const delay = this.#budget.next(Date.now(), uptime);
    if (delay === undefined) {
      this.#giveUp(
        `it ended (${this.#lastExit}) after ${this.plan.maxRestarts} restarts within ${this.plan.restartWindow} ms; fix the plugin, then call restart()`,
      );
      return;
    }
    this.#state = 'backoff';
    this.#restarting = { delay, reason: this.#lastExit };
    // Ref'd on purpose: a host whose plugin is between two lives must wait for it.
    this.#backoff = setTimeout(() => {
      this.#restarts++;
      void this.#launch();
    }, delay);
  }

  #giveUp(reason: string): void {
    this.#wanted = false;
    this.#state = 'errored';
    this.#releaseSpares();
    this.#context.emit('errored', { plugin: this.plan.name, reason });
  }

  /** Fills the plugin's pool of spares; if a spare fails, that is reported and restarts are cold. */
  async #keepSpares(): Promise<void> {
    // Forked as the plugin's latest process was.
    const options = this.#thread === undefined ? undefined : internals.processOptions(this.#thread);
    if (this.plan.spares === 0 || options === undefined || !this.#wanted) return;
    // Imported when needed: spares.js brings execa, which a plugin's child must not load.
    this.#spares ??= await import('../host/spares.js');
    const { prewarm, samePool } = this.#spares;
    if (!this.#wanted) return;
    // The host's environment or directory changed since: no start would adopt from the old pool again.
    if (this.#spared !== undefined && !samePool(this.#spared, options)) void prewarm(0, this.#spared);
    this.#spared = options;
    await prewarm(this.plan.spares, options).catch((error: Error) =>
      this.#context.emit('error', error, this.plan.name),
    );
  }

  /** Ends the plugin's spares, ready or still starting: SIGKILL is sent before this returns. */
  #releaseSpares(): void {
    const options = this.#spared;
    if (options === undefined || this.#spares === undefined) return;
    this.#spared = undefined;
    void this.#spares.prewarm(0, options);
  }
}
