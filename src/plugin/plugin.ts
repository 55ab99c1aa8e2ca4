import { ANSWER } from '../context.js';
import { ThreadStateError } from '../errors.js';
import { checkTimeout, DEFAULT_CALL_TIMEOUT } from '../options.js';
import { type CallOptions, internals, JailThread } from '../thread.js';
import { type CallInput, type CallOutput, type Contract, methodNames, schemasOf, validate } from './contract.js';

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
  async [ANSWER](method: string, input: unknown): Promise<unknown> {
    const { contract } = this.constructor as typeof Plugin;
    const where = `call("${method}") to plugin "${this.name}"`;
    const schemas = schemasOf(contract, 'plugin', method);
    const implementation = (this as unknown as Record<string, unknown>)[method];
    if (schemas === undefined) {
      throw new TypeError(
        `${where}: no such method in the plugin's contract (its methods: ${methodNames(contract, 'plugin')}); declare it under contract.plugin.`,
      );
    }
    if (typeof implementation !== 'function') {
      throw new TypeError(
        `${where}: the contract declares ${method}, but the class does not define it; add the method.`,
      );
    }
    const parsed = await validate(
      schemas.input,
      input,
      `the input of ${where}`,
      'the host must send what the contract says',
    );
    const result: unknown = await implementation.call(this, parsed);
    // Checked here so the plugin's author sees the mistake; the raw value is
    // sent, since the host parses it again and a transform must not run twice.
    await validate(schemas.output, result, `the output of ${where}`, `${method}() must return what the contract says`);
    return result;
  }

  /**
   * Calls function `fn` the host serves to this plugin (its contract's `host`
   * part), validating the input before it leaves and the output when it
   * arrives. Inside the plugin's process only.
   * @param options.timeout milliseconds to wait for the host (default 5000)
   */
  async callHost<F extends HostSide<C>>(
    fn: F,
    input: CallInput<C, 'host', F>,
    options: CallOptions = {},
  ): Promise<CallOutput<C, 'host', F>> {
    const where = `callHost("${fn}") of plugin "${this.name}"`;
    const binding = internals.binding(this);
    if (binding === undefined) {
      throw new ThreadStateError(
        `${where}: callHost() runs inside the plugin's own process; in the host, call the function directly.`,
      );
    }
    const timeout =
      checkTimeout(options.timeout, 'callHost(fn, input, { timeout })', this.name) ?? DEFAULT_CALL_TIMEOUT;
    const { contract } = this.constructor as typeof Plugin;
    const schemas = schemasOf(contract, 'host', fn);
    if (schemas === undefined) {
      throw new TypeError(
        `${where}: no such function in the plugin's contract (its host functions: ${methodNames(contract, 'host')}); declare it under contract.host.`,
      );
    }
    await validate(schemas.input, input, `the input of ${where}`, 'pass what the contract says');
    const answer = await binding.request(fn, input, timeout);
    return (await validate(
      schemas.output,
      answer,
      `the output of ${where}`,
      'the host function must return what the contract says',
    )) as CallOutput<C, 'host', F>;
  }
}
