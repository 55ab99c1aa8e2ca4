import { EventEmitter } from 'node:events';
import { checkSignal } from '../abort.js';
import { JailThreadError } from '../errors.js';
import { checkTimeout, DEFAULT_CALL_TIMEOUT } from '../options.js';
import { checkHighWaterMark, type PluginCallOptions, type PluginStreamOptions } from '../plugin/call-options.js';
import {
  type CallInput,
  type CallOutput,
  type Contract,
  type EventData,
  type EventNames,
  type StreamItem,
  streamSchemasFor,
} from '../plugin/contract.js';
import { printException } from '../report.js';
import type { LogEntry, PluginHostEvents, PluginRow } from './events.js';
import type { PluginSpec } from './spec.js';
import { planOf } from './spec-plan.js';
import { type Subscriptions, subscriptionsOf } from './subscriptions.js';
import { SupervisedPlugin } from './supervised.js';

export interface PluginHostOptions {
  /**
   * Receives every line the plugins write to stdout and stderr.
   * @default undefined: lines go to the host's own streams, each prefixed with `[plugin name] `
   */
  logger?: (entry: LogEntry) => void;
}

type Methods<C extends Contract> = keyof NonNullable<C['plugin']> & string;

/**
 * Hosts plugins, each in its own process, under supervision: starts them in
 * the order added and stops them in reverse, restarts them by policy with
 * exponential backoff and a restart budget, kills the ones whose event loop
 * stops answering, recycles the ones over their memory limit, sandboxes them
 * with Node's permission model, and validates every typed call both ways.
 *
 * The type parameter collects the contracts of the plugins added, so that
 * `call()` is typed when `add()` calls are chained, and a name never added
 * does not compile. It starts empty; a plugin whose name is a `string` (read
 * from a config, say) makes every name compile, checked when called. Write
 * `PluginHost<Record<string, Contract>>` for a host of any plugins.
 *
 * @example
 * const host = new PluginHost().add({ name: 'scanner', module: './plugins/scanner.js', contract });
 * await host.start();
 * const found = await host.call('scanner', 'scan', { path: '/var/log' });
 * await host.stop();
 */
export class PluginHost<
  Plugins extends Record<string, Contract> = Record<never, Contract>,
> extends EventEmitter<PluginHostEvents> {
  readonly #plugins = new Map<string, SupervisedPlugin>();
  readonly #logger: PluginHostOptions['logger'];
  /** Bumped by stop() of every plugin: a start() under way starts no further plugin. */
  #epoch = 0;
  /**
   * Whether a stop() of every plugin has begun (`'stopping'`) or is done
   * (`'stopped'`): from then on until the next start(), the stop wins, and
   * restart(), setIdle(), add() and start() during it are refused.
   */
  #halt: 'none' | 'stopping' | 'stopped' = 'none';
  /** The stop of every plugin under way, shared by every caller. */
  #stopping: Promise<void> | undefined;

  constructor(options: PluginHostOptions = {}) {
    super();
    if (typeof options !== 'object' || options === null) {
      throw new TypeError('new PluginHost(options): options must be an object, such as { logger }.');
    }
    if (options.logger !== undefined && typeof options.logger !== 'function') {
      throw new TypeError('new PluginHost({ logger }): logger must be a function that takes { plugin, stream, line }.');
    }
    this.#logger = options.logger;
  }

  /**
   * Registers a plugin; it starts with the next `start()` (one under way does not start it).
   * Throws TypeError or RangeError naming the field when the spec is wrong, and on a duplicate name;
   * JailThreadError once `stop()` of every plugin has begun, until the next `start()`.
   */
  add<const N extends string, C extends Contract = Contract>(
    spec: PluginSpec<C> & { name: N },
  ): PluginHost<Plugins & Record<N, C>> {
    this.#refuseAfterStop(`add({ name: ${JSON.stringify((spec as { name?: unknown } | null)?.name)} })`);
    const plan = planOf(spec as PluginSpec);
    if (this.#plugins.has(plan.name)) {
      throw new TypeError(
        `PluginHost.add({ name }): a plugin named "${plan.name}" is already added; names are unique.`,
      );
    }
    const context = {
      emit: <K extends keyof PluginHostEvents>(event: K, ...args: PluginHostEvents[K]) => this.#emit(event, ...args),
      logger: this.#logger,
      stopping: () => this.#halt !== 'none',
    };
    this.#plugins.set(plan.name, new SupervisedPlugin(plan, context));
    subscriptionsOf(plan, (error) => this.#emit('error', error, plan.name));
    return this as PluginHost<Plugins & Record<N, C>>;
  }

  /** The plugins' names, in the order added. */
  names(): string[] {
    return [...this.#plugins.keys()];
  }

  /**
   * Starts the plugins one after another, in the order added; a plugin that fails to start is handled by
   * its policy. A `stop()` of every plugin while this runs ends it: no further plugin is started. Rejects
   * with JailThreadError while such a stop runs; after it, start() opens the host again.
   */
  async start(): Promise<void> {
    if (this.#halt === 'stopping') this.#refuseAfterStop('start()');
    this.#halt = 'none';
    const epoch = this.#epoch;
    for (const plugin of this.#plugins.values()) {
      if (epoch !== this.#epoch) return;
      await plugin.start();
    }
  }

  /**
   * Stops every plugin, in reverse order, each within its shutdown timeout and killed after it (a plugin
   * still starting included); or only the plugin `name`. A stopped plugin is not restarted until `start()`
   * or `restart()`; a restart under way when stop() is called is abandoned. The stop of every plugin
   * wins: from the moment it begins until the next `start()`, `restart()`, `setIdle()` and `add()` are
   * refused, and concurrent calls share it.
   */
  async stop(name?: string): Promise<void> {
    if (name !== undefined) {
      await this.#plugin('stop', name).stop();
      return;
    }
    this.#stopping ??= this.#stopAll();
    await this.#stopping;
  }

  async #stopAll(): Promise<void> {
    this.#halt = 'stopping';
    this.#epoch++;
    try {
      for (const plugin of [...this.#plugins.values()].reverse()) await plugin.stop();
    } finally {
      this.#stopping = undefined;
      if (this.#halt === 'stopping') this.#halt = 'stopped';
    }
  }

  /** For `await using`: `stop()`. On Node 20, `Symbol.asyncDispose` is Node's own `Symbol.for('nodejs.asyncDispose')`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  /**
   * Stops the plugin gracefully and starts it again, also from `stopped` or `errored`, with a fresh restart
   * budget. Calls at the same time share one restart; a later `stop()` wins over it, and once `stop()` of
   * every plugin has begun it is refused (JailThreadError) until the next `start()`.
   */
  async restart(name: string): Promise<void> {
    const plugin = this.#plugin('restart', name);
    this.#refuseAfterStop(`restart("${name}")`);
    await plugin.restart();
  }

  /** Sets the plugin's `idle` flag; it survives restarts. Refused once `stop()` of every plugin has begun. */
  setIdle(name: string, idle: boolean): void {
    if (typeof idle !== 'boolean') throw new TypeError(`host.setIdle("${name}", idle): idle must be true or false.`);
    const plugin = this.#plugin('setIdle', name);
    this.#refuseAfterStop(`setIdle("${name}", ${idle})`);
    plugin.setIdle(idle);
  }

  /** Throws once the stop of every plugin has begun: it wins over whatever is asked after it. */
  #refuseAfterStop(call: string): void {
    if (this.#halt === 'none') return;
    const when = this.#halt === 'stopping' ? 'is stopping every plugin' : 'has stopped every plugin';
    throw new JailThreadError(
      `host.${call}: refused: the host ${when} (stop() was called), and that stop wins; call start() once it is done to use the host again.`,
    );
  }

  /** One row per plugin, in the order added, with each running plugin's own `status()`. */
  status(): Promise<PluginRow[]> {
    return Promise.all([...this.#plugins.values()].map((plugin) => plugin.row()));
  }

  /**
   * Calls `method` of plugin `name`, declared in its contract: the input is validated before it
   * leaves, and the output when it arrives. Rejects with ValidationError, the plugin's own error,
   * ThreadTimeoutError after `timeout` (default 5000 ms), AbortError once `signal` aborts, or ThreadStateError
   * if the plugin is not running or exits during the call. The plugin's method gets `{ signal }` as its second
   * argument, aborted when this call is aborted or times out, or the plugin is stopping.
   */
  async call<N extends keyof Plugins & string, M extends Methods<Plugins[N]>>(
    name: N,
    method: M,
    input: CallInput<Plugins[N], 'plugin', M>,
    options: PluginCallOptions = {},
  ): Promise<CallOutput<Plugins[N], 'plugin', M>> {
    const plugin = this.#plugin('call', name);
    const timeout = checkTimeout(options.timeout, `host.call("${name}", "${method}", input, { timeout })`, name);
    const signal = checkSignal(options.signal, `host.call("${name}", "${method}", input, { signal })`);
    const output = await plugin.call(method, input, timeout ?? DEFAULT_CALL_TIMEOUT, signal);
    return output as CallOutput<Plugins[N], 'plugin', M>;
  }

  /**
   * Reads stream method `method` of plugin `name` (declared with `yields` in its contract) as an async
   * iterable: the input is validated before it leaves, each item when it arrives. The plugin's generator
   * is not pulled while `highWaterMark` items are unread here, so a slow reader stops the producer.
   * `break`, `return()` or an abort of `signal` ends the generator in the plugin (its `finally` runs) and
   * aborts its signal. The iteration throws ThreadTimeoutError when no item comes within `timeout`,
   * ValidationError for an item that fails its schema, the plugin's own error if its generator throws, and
   * ThreadStateError if the plugin exits meanwhile. A plugin starting or in backoff is waited for, as by call().
   * @param options.timeout the longest wait for each next item, in ms (default 5000)
   * @param options.highWaterMark items held unread at most, 1 to 65536 (default 16)
   */
  stream<N extends keyof Plugins & string, M extends Methods<Plugins[N]>>(
    name: N,
    method: M,
    input: CallInput<Plugins[N], 'plugin', M>,
    options: PluginStreamOptions = {},
  ): AsyncIterableIterator<StreamItem<Plugins[N], M>> {
    const where = `host.stream("${name}", "${method}", input, options)`;
    const plugin = this.#plugin('stream', name);
    const schemas = streamSchemasFor(plugin.plan.contract, method, `host.stream("${name}", "${method}")`);
    const timeout = checkTimeout(options.timeout, `${where}: { timeout }`, name) ?? DEFAULT_CALL_TIMEOUT;
    const signal = checkSignal(options.signal, `${where}: { signal }`);
    const highWaterMark = checkHighWaterMark(options.highWaterMark, where);
    return plugin.stream(method, input, schemas, { timeout, signal, highWaterMark }) as AsyncIterableIterator<
      StreamItem<Plugins[N], M>
    >;
  }

  /**
   * Listens to `event`, declared in the contract's `events` of plugin `name`: `listener` gets each event's
   * data as the schema parses it, from every process of the plugin, until the returned function is called.
   * Data that fails its schema, and a listener that throws, are this host's 'error' (with the plugin's name);
   * the plugin goes on. An undeclared event is a TypeError.
   * @returns a function that unsubscribes
   */
  subscribe<N extends keyof Plugins & string, E extends EventNames<Plugins[N]>>(
    name: N,
    event: E,
    listener: (data: EventData<Plugins[N], E>) => void,
  ): () => void {
    const where = `host.subscribe("${name}", "${event}", listener)`;
    const plugin = this.#plugin('subscribe', name);
    if (typeof listener !== 'function')
      throw new TypeError(`${where}: listener must be a function of the event's data.`);
    const off = (subscriptionsOf(plugin.plan) as Subscriptions).add(event, listener as (data: unknown) => void, where);
    plugin.wake();
    return off;
  }

  /**
   * Turns the first SIGINT or SIGTERM into an orderly `stop()`, and a second one, while it runs, into an
   * immediate kill of every plugin. Returns a function that removes the handlers; they also go once the stop is done.
   * @param onStopped called once that stop has finished, with its error if it failed (without it, the error is an 'error' event)
   */
  handleSignals(onStopped?: (error?: Error) => void): () => void {
    let stopping = false;
    const onSignal = () => {
      if (stopping) {
        for (const plugin of this.#plugins.values()) plugin.kill();
        return;
      }
      stopping = true;
      this.stop().then(
        () => {
          undo();
          onStopped?.();
        },
        (error: Error) => {
          undo();
          if (onStopped === undefined) this.#emit('error', error, '(host)');
          else onStopped(error);
        },
      );
    };
    const undo = () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    return undo;
  }

  #plugin(call: string, name: string): SupervisedPlugin {
    const plugin = this.#plugins.get(name);
    if (plugin === undefined) {
      throw new JailThreadError(
        `host.${call}("${String(name)}"): no plugin of that name; the plugins are: ${this.names().join(', ') || 'none (add one first)'}.`,
      );
    }
    return plugin;
  }

  /** An 'error' nobody listens to is printed, not thrown: a plugin's error must not crash its host. */
  #emit<K extends keyof PluginHostEvents>(event: K, ...args: PluginHostEvents[K]): void {
    if (event === 'error' && this.listenerCount('error') === 0) {
      const [error, plugin] = args as PluginHostEvents['error'];
      printException(`plugin ${plugin}`, error);
      return;
    }
    (this.emit as (event: K, ...args: PluginHostEvents[K]) => boolean)(event, ...args);
  }
}
