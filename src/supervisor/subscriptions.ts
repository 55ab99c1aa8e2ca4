import { parsed } from '../plugin/contract.js';
import type { StandardSchemaV1 } from '../plugin/standard-schema.js';
import type { PluginPlan } from './spec-plan.js';

type Listener = (data: unknown) => void;

/**
 * The host's listeners to one plugin's published events, by event. They
 * outlive the plugin's processes: a restarted plugin's events reach them too.
 */
export class Subscriptions {
  readonly #plan: PluginPlan;
  readonly #report: (error: Error) => void;
  readonly #listeners = new Map<string, Set<Listener>>();

  constructor(plan: PluginPlan, report: (error: Error) => void) {
    this.#plan = plan;
    this.#report = report;
  }

  /** Adds `listener` for `event`, declared in the contract (else a TypeError naming `where`); returns its removal. */
  add(event: string, listener: Listener, where: string): () => void {
    this.#schema(event, where);
    let listeners = this.#listeners.get(event);
    if (listeners === undefined) {
      listeners = new Set();
      this.#listeners.set(event, listeners);
    }
    // A wrapper, so that the same function subscribed twice is two subscriptions, each removed by its own function.
    const each: Listener = (data) => listener(data);
    listeners.add(each);
    return () => {
      listeners.delete(each);
    };
  }

  /**
   * An event from the plugin's process: checked against the contract (the plugin is untrusted) and handed
   * to each listener. A bad event, or a listener that throws, is the host's 'error', and harms nobody else.
   * A schema that checks synchronously (zod's, without async refinements) hands it out before the next
   * frame is read: the answer to the call that published it comes after it.
   */
  deliver(event: string, raw: unknown): void {
    const name = this.#plan.name;
    const what = `the data of event "${event}" published by plugin "${name}"`;
    const fix = `the plugin must publish what contract.events.${event} says`;
    try {
      const schema = this.#schema(event, `event "${event}" published by plugin "${name}"`);
      const listeners = this.#listeners.get(event);
      if (listeners === undefined || listeners.size === 0) return;
      const result = schema['~standard'].validate(raw);
      if (!(result instanceof Promise)) this.#handOut(listeners, parsed(result, what, fix));
      else result.then((later) => this.#handOut(listeners, parsed(later, what, fix))).catch(this.#report);
    } catch (error) {
      this.#report(error as Error);
    }
  }

  #handOut(listeners: Set<Listener>, data: unknown): void {
    for (const listener of [...listeners]) {
      try {
        listener(data);
      } catch (error) {
        this.#report(error instanceof Error ? error : new Error(String(error)));
      }
    }
  }

  #schema(event: string, where: string): StandardSchemaV1 {
    const events = this.#plan.contract?.events;
    if (events !== undefined && Object.hasOwn(events, event)) return events[event] as StandardSchemaV1;
    throw new TypeError(
      `${where}: the plugin's contract declares no event ${event} (its events: ${Object.keys(events ?? {}).join(', ') || 'none'}); declare it under contract.events.`,
    );
  }
}

// Found from the plan, which every process of the plugin is forked with, so
// that nothing between the host and the fork has to carry them.
const byPlan = new WeakMap<PluginPlan, Subscriptions>();

/** The plugin's subscriptions; made once, by the host that adds the plugin. */
export function subscriptionsOf(plan: PluginPlan, report?: (error: Error) => void): Subscriptions | undefined {
  let subscriptions = byPlan.get(plan);
  if (subscriptions === undefined && report !== undefined) {
    subscriptions = new Subscriptions(plan, report);
    byPlan.set(plan, subscriptions);
  }
  return subscriptions;
}
