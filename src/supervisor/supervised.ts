import type { StreamSchemas } from '../plugin/contract.js';
import type { LogEntry, PluginHostEvents, PluginRow, PluginState } from './events.js';
import { watchHealth } from './health.js';
import type { PluginProcess } from './life.js';
import { callPlugin } from './plugin-call.js';
import { PluginForks } from './plugin-forks.js';
import { PluginRecord } from './plugin-record.js';
import { type StreamOptions, streamPlugin } from './plugin-stream.js';
import { type Asked, Recovery } from './recovery.js';
import { Serial } from './serial.js';
import { SPEC_DEFAULTS } from './spec-fields.js';
import type { PluginPlan } from './spec-plan.js';
import { StateChanges } from './state-wait.js';

/** What a supervised plugin needs of its host. */
export interface SupervisorContext {
  emit<K extends keyof PluginHostEvents>(event: K, ...args: PluginHostEvents[K]): void;
  logger: ((entry: LogEntry) => void) | undefined;
  /** True while the host's stop of every plugin holds: it wins, so a lazy plugin is not forked meanwhile. */
  stopping(): boolean;
}

/**
 * One plugin under supervision. Its life is one state value, changed by one
 * setter that emits a 'state' event. start(), restart() and the policy's
 * restarts run one at a time, in order (a restart() asked while another waits
 * joins it); stop() and kill() void every operation asked before them and end
 * the process at once, even one still starting. There is at most one process
 * per plugin: a new one is forked only once the last one's exit was seen.
 */
export class SupervisedPlugin {
  readonly plan: PluginPlan;
  readonly #context: SupervisorContext;
  readonly #serial = new Serial();
  readonly #forks: PluginForks;
  #state: PluginState = 'stopped';
  /** The latest process: the plugin's one until it has ended. */
  #life: PluginProcess | undefined;
  /** Bumped by stop() and kill(): the operations asked for before them are void. */
  #epoch = 0;
  readonly #recovery: Recovery;
  /** A restart() that waits its turn: the next restart() joins it. */
  #queuedRestart: Promise<void> | undefined;
  readonly #record = new PluginRecord();
  /** Wakes the calls waiting for the plugin to come back. */
  readonly #changes = new StateChanges();

  constructor(plan: PluginPlan, context: SupervisorContext) {
    this.plan = plan;
    this.#context = context;
    this.#forks = new PluginForks(plan, context.logger, (error) => context.emit('error', error, plan.name));
    this.#recovery = new Recovery(plan);
  }

  get state(): PluginState {
    return this.#state === 'running' && this.#current()?.port.state.idle === true ? 'idle' : this.#state;
  }

  #setState(state: PluginState): void {
    if (state === this.#state) return;
    const from = this.#state;
    this.#state = state;
    this.#changes.changed();
    this.#context.emit('state', { plugin: this.plan.name, from, to: state });
  }

  #current(): PluginProcess | undefined {
    return this.#life !== undefined && this.#life.state !== 'ended' ? this.#life : undefined;
  }

  /**
   * Starts the plugin unless it is up or about to be; resolves once `run()`
   * began or the start failed, and the plugin's spares are ready.
   */
  start(): Promise<void> {
    const epoch = this.#epoch;
    return this.#serial.run(async () => {
      if (epoch !== this.#epoch || (this.#state !== 'stopped' && this.#state !== 'errored')) return;
      // Forked by its first call instead (wake()).
      if (this.plan.start === 'lazy') return this.#setState('lazy');
      await this.#launch(epoch, 'by hand');
      await this.#keepSpares(epoch);
    });
  }

  /**
   * A lazy plugin's first call, stream or subscription: forks it now, as start() would have; not while
   * the host's stop holds (the call waits, and the stop, reaching the plugin, rejects it).
   */
  wake(): void {
    if (this.#state !== 'lazy' || this.#context.stopping()) return;
    const epoch = this.#epoch;
    void this.#serial.run(async () => {
      if (epoch !== this.#epoch || this.#state !== 'lazy' || this.#context.stopping()) return;
      await this.#launch(epoch, 'by hand');
      await this.#keepSpares(epoch);
    });
  }

  /**
   * Stops the plugin for good (until the next start() or restart()): graceful within its shutdown
   * timeout, then killed; a process still starting after that long is killed.
   */
  async stop(): Promise<void> {
    this.#halt();
    await this.#serial.run(() => this.#settleStopped());
  }

  /** Ends the process at once (a second Ctrl-C): no graceful stop, no restart. */
  kill(): void {
    const life = this.#current();
    this.#halt();
    life?.kill();
    void this.#serial.run(() => this.#settleStopped());
  }

  /**
   * Stops the plugin gracefully and starts it again (from a spare if it has one) with a fresh restart
   * budget. A restart() asked while another one waits its turn joins it; a stop() asked later voids it.
   */
  restart(): Promise<void> {
    if (this.#queuedRestart !== undefined) return this.#queuedRestart;
    const epoch = this.#epoch;
    const queued = this.#serial.run(async () => {
      if (this.#queuedRestart === queued) this.#queuedRestart = undefined;
      if (epoch !== this.#epoch) return;
      this.#recovery.cancel();
      const life = this.#current();
      if (life !== undefined) {
        this.#setState('stopping');
        await this.#end(life);
      }
      if (epoch !== this.#epoch) return;
      this.#recovery.renew();
      this.#record.restarts++;
      await this.#launch(epoch, 'by hand', { delay: 0, reason: 'restart() was called' });
      // Refills a pool ended when the plugin was given up.
      await this.#keepSpares(epoch);
    });
    this.#queuedRestart = queued;
    return queued;
  }

  setIdle(idle: boolean): void {
    this.#forks.idle = idle;
    const life = this.#current();
    if (life?.port.isAlive() === true) life.port.set({ idle });
  }

  /** Calls the plugin's method `method`, validating the input before it leaves and the output when it arrives. */
  call(method: string, input: unknown, timeout: number, signal?: AbortSignal): Promise<unknown> {
    this.wake();
    const now = () => ({ state: this.state, process: this.#current() });
    return callPlugin(this.plan, method, input, { timeout, signal }, now, this.#changes);
  }

  /** Reads the plugin's stream method `method` (see streamPlugin()). */
  stream(method: string, input: unknown, schemas: StreamSchemas, options: StreamOptions): AsyncGenerator<unknown> {
    this.wake();
    const now = () => ({ state: this.state, process: this.#current() });
    return streamPlugin(this.plan, schemas, method, input, options, now, this.#changes);
  }

  row(): Promise<PluginRow> {
    return this.#record.row(
      this.plan.name,
      this.state,
      this.#current(),
      this.plan.health?.timeout ?? SPEC_DEFAULTS.health.timeout,
    );
  }

  /** Voids the operations asked before, and starts ending the process now rather than after them. */
  #halt(): void {
    this.#epoch++;
    this.#queuedRestart = undefined;
    this.#recovery.cancel();
    this.#forks.releaseSpares();
    const life = this.#current();
    if (life === undefined) return;
    this.#setState('stopping');
    void this.#end(life);
  }

  async #settleStopped(): Promise<void> {
    const life = this.#current();
    if (life !== undefined) await this.#end(life);
    this.#setState('stopped');
  }

  /**
   * Ends the process for an operation, which then owns the plugin's state: gracefully within the
   * shutdown timeout, then killed; a process whose start has not settled by then is killed at once.
   * Resolves once its exit was seen.
   */
  #end(life: PluginProcess): Promise<void> {
    return life
      .end({ by: 'operation' }, this.plan.shutdownTimeout)
      .catch((error: Error) => this.#context.emit('error', error, this.plan.name));
  }

  async #launch(epoch: number, asked: Asked, announce?: { delay: number; reason: string }): Promise<void> {
    const life = this.#forks.fork((ended) => this.#ended(ended));
    this.#life = life;
    this.#record.forked(life);
    this.#setState('starting');
    const begun = await life.started;
    this.#record.pid = life.port.pid ?? this.#record.pid;
    if (!begun || !life.port.isAlive()) {
      this.#ended(life, asked);
      return;
    }
    // A stop() or kill() during the start owns the state from here.
    if (life.owned || epoch !== this.#epoch) return;
    this.#setState('running');
    if (announce !== undefined) {
      this.#context.emit('restart', {
        plugin: this.plan.name,
        attempt: this.#record.restarts,
        pid: life.port.pid,
        ...announce,
      });
    }
    const stopHealth = watchHealth(life.port, this.plan, {
      watching: () => this.#life === life && this.#state === 'running',
      pong: (pong) => {
        this.#record.memory = pong;
      },
      end: (ending) => {
        if (ending.reason === 'rss limit') this.#setState('stopping');
        void life.end({ by: 'health', ...ending }, this.plan.shutdownTimeout);
      },
      emit: this.#context.emit,
    });
    life.running(stopHealth);
  }

  /** The process ended, or never began: unless an operation ended it, the policy decides what comes next. */
  #ended(life: PluginProcess, asked: Asked = 'by policy'): void {
    // Measured before the exit event: its listeners' time is not the plugin's uptime.
    const uptime = life.startedAt === undefined ? 0 : Date.now() - life.startedAt;
    if (!life.ended()) return;
    const { exitCode, signalCode, exitReason } = life.port;
    const reason = this.#record.ended(life);
    this.#context.emit('exit', { plugin: this.plan.name, reason, exitCode, signalCode, exitReason });
    if (life.owned) return;
    const { crash, decision } = this.#recovery.judge(life, reason, asked, uptime);
    if (crash !== undefined) this.#context.emit('crash', crash);
    if (decision.action === 'restart') {
      this.#scheduleRestart(decision.delay, reason);
      return;
    }
    this.#forks.releaseSpares();
    this.#setState(decision.action === 'stop' ? 'stopped' : 'errored');
    if (decision.action === 'give-up')
      this.#context.emit('errored', { plugin: this.plan.name, reason: decision.reason });
  }

  #scheduleRestart(delay: number, reason: string): void {
    const epoch = this.#epoch;
    this.#setState('backoff');
    this.#recovery.schedule(delay, () => {
      void this.#serial.run(async () => {
        if (epoch !== this.#epoch || this.#state !== 'backoff') return;
        this.#record.restarts++;
        await this.#launch(epoch, 'by policy', { delay, reason });
      });
    });
  }

  /** Fills the plugin's pool of spares, forked as its latest process was, while the plugin is wanted up. */
  async #keepSpares(epoch: number): Promise<void> {
    await this.#forks.keepSpares(
      this.#life,
      () => epoch === this.#epoch && this.#state !== 'stopped' && this.#state !== 'errored',
    );
  }
}
