import { checkSignal } from '../abort.js';
import { instanceOf } from '../child/instance.js';
import { ANSWER, STREAM } from '../context.js';
import { ThreadStateError } from '../errors.js';
import { checkTimeout, DEFAULT_CALL_TIMEOUT } from '../options.js';
import { JailThread } from '../thread.js';
import type { PluginCallOptions } from './call-options.js';
import {
  answerCall,
  type CallInput,
  type CallOutput,
  type Contract,
  type EventInput,
  type EventNames,
  schemasFor,
  sendCall,
  streamSchemasFor,
  validate,
} from './contract.js';
import type { StandardSchemaV1 } from './standard-schema.js';

type HostSide<C extends Contract> = keyof NonNullable<C['host']> & string;

/**
 * A JailThread that a PluginHost can call, and that can call its host: the
 * methods in its contract's `plugin` part are called by the host with
 * `host.call(name, method, input)`, and `callHost()` reaches the functions in
 * its `host` part. Inputs and outputs are validated on both sides.
 *
 * @example
 * export default class Counter extends Plugin<typeof contract> implements PluginMethods<typeof contract> {
 *   static override readonly module = import.meta.url;
 *   static override readonly contract = contract;
 *   add({ by }: { by: number }) { return (this.#total += by); }
 * }
 */
export class Plugin<C extends Contract = Contract, TStatus = unknown> extends JailThread<TStatus> {
  /**
   * The schemas of the plugin's calls, both ways. Set it in every subclass that has calls.
   * @default undefined (no calls)
   */
  static readonly contract: Contract | undefined = undefined;

  /** Answers the host's call: runs in the plugin's process, on behalf of its runtime. */
  async [ANSWER](method: string, input: unknown, signal: AbortSignal): Promise<unknown> {
    const where = `call("${method}") to plugin "${this.name}"`;
    const schemas = schemasFor((this.constructor as typeof Plugin).contract, 'plugin', method, where);
    const implementation = (this as unknown as Record<string, unknown>)[method];
    if (typeof implementation !== 'function') {
      throw new TypeError(
        `${where}: the contract declares ${method}, but the class does not define it; add the method.`,
      );
    }
    return answerCall(
      schemas,
      where,
      input,
      (parsed) => {
        // Cancelled while its input was checked: the method is not run at all.
        signal.throwIfAborted();
        return implementation.call(this, parsed, { signal });
      },
      ['the host', `${method}()`],
    );
  }

  /**
   * Runs the host's `host.stream()` of `method`: its input checked, the method's items checked one by one
   * as they are pulled. An early end (the host's break, abort or timeout) returns the method's generator.
   */
  [STREAM](method: string, input: unknown, signal: AbortSignal): AsyncIterator<unknown> {
    const where = `stream("${method}") of plugin "${this.name}"`;
    const schemas = streamSchemasFor((this.constructor as typeof Plugin).contract, method, where);
    const implementation = (this as unknown as Record<string, unknown>)[method];
    if (typeof implementation !== 'function') {
      throw new TypeError(
        `${where}: the contract declares ${method}, but the class does not define it; add the method.`,
      );
    }
    return (async function* checked(plugin: Plugin<C, TStatus>) {
      const parsed = await validate(
        schemas.input,
        input,
        `the input of ${where}`,
        'the host must send what the contract says',
      );
      signal.throwIfAborted();
      const source: unknown = implementation.call(plugin, parsed, { signal });
      if (typeof (source as AsyncIterable<unknown> | null)?.[Symbol.asyncIterator] !== 'function') {
        throw new TypeError(
          `${where}: ${method}() must be an async generator (async *${method}(input, { signal })) or return an async iterable.`,
        );
      }
      for await (const item of source as AsyncIterable<unknown>) {
        await validate(schemas.yields, item, `an item of ${where}`, `${method}() must yield what the contract says`);
        yield item;
      }
    })(this);
  }

  /**
   * Publishes `event`, declared in the contract's `events`, to the host's
   * `subscribe()` listeners: `data` is validated here before it leaves, and
   * by the host when it arrives. Resolves once written to the channel.
   * Inside the plugin's process only; an undeclared event is a TypeError.
   */
  async publish<E extends EventNames<C>>(event: E, data: EventInput<C, E>): Promise<void> {
    const where = `publish("${event}") of plugin "${this.name}"`;
    const binding = instanceOf(this)?.binding;
    if (binding === undefined) {
      throw new ThreadStateError(`${where}: publish() runs inside the plugin's own process; the host subscribes.`);
    }
    const events = (this.constructor as typeof Plugin).contract?.events;
    if (events === undefined || !Object.hasOwn(events, event)) {
      throw new TypeError(
        `${where}: the contract declares no event ${event} (its events: ${Object.keys(events ?? {}).join(', ') || 'none'}); declare it under contract.events.`,
      );
    }
    await validate(events[event] as StandardSchemaV1, data, `the data of ${where}`, 'publish what the contract says');
    await binding.send({ t: 'event', event, data });
  }

  /**
   * Calls function `fn` the host serves to this plugin (its contract's `host`
   * part), validating the input before it leaves and the output when it
   * arrives. Inside the plugin's process only.
   * @param options.timeout milliseconds to wait for the host (default 5000)
   * @param options.signal aborts the call, and the host function's own signal
   */
  async callHost<F extends HostSide<C>>(
    fn: F,
    input: CallInput<C, 'host', F>,
    options: PluginCallOptions = {},
  ): Promise<CallOutput<C, 'host', F>> {
    const where = `callHost("${fn}") of plugin "${this.name}"`;
    const binding = instanceOf(this)?.binding;
    if (binding === undefined) {
      throw new ThreadStateError(
        `${where}: callHost() runs inside the plugin's own process; in the host, call the function directly.`,
      );
    }
    const timeout =
      checkTimeout(options.timeout, 'callHost(fn, input, { timeout })', this.name) ?? DEFAULT_CALL_TIMEOUT;
    const signal = checkSignal(options.signal, `${where}, { signal }`);
    const schemas = schemasFor((this.constructor as typeof Plugin).contract, 'host', fn, where);
    const send = (sent: unknown) => binding.request(fn, sent, timeout, signal);
    return (await sendCall(schemas, where, input, send, 'the host function')) as CallOutput<C, 'host', F>;
  }
}
