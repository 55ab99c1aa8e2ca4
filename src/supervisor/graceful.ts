import { JailThreadError } from '../errors.js';
import type { PluginHostEvents } from './events.js';
import type { InFlight } from './in-flight.js';
import { shortError } from './schema-failure.js';
import type { PluginPlan } from './spec-plan.js';
import type { SupervisedPlugin } from './supervised.js';

/** What a graceful replace needs of its host. */
export interface GracefulHost {
  /** The instance that serves `name` now. */
  current(name: string): SupervisedPlugin | undefined;
  /** Makes `next` the one that serves its name: calls from now on go to it. */
  swap(old: SupervisedPlugin, next: SupervisedPlugin): void;
  /** An instance out of the host's list while it starts or retires: a stop of the host stops it too. */
  aside: Set<SupervisedPlugin>;
  /** Changes when the host stops every plugin: the replace is abandoned. */
  epoch(): number;
  inFlight: InFlight<SupervisedPlugin>;
  on(listener: (event: PluginHostEvents['crash'][0]) => void): () => void;
  emitError(error: Error, plugin: string): void;
}

const hasMethod = (plan: PluginPlan, method: string): boolean =>
  Object.hasOwn((plan.contract as { plugin?: object } | undefined)?.plugin ?? {}, method);

/**
 * Replaces a running plugin with no gap: the new instance is started beside
 * the old one and must be running before anything changes; then new calls
 * go to it, the old one finishes the calls it has (within its
 * shutdownTimeout), hands its state over when both contracts have
 * `handover` and `takeover`, and is stopped. A new instance that fails to
 * start is stopped and the old one goes on serving: the error says why.
 */
export async function replaceGracefully(
  host: GracefulHost,
  old: SupervisedPlugin,
  next: SupervisedPlugin,
): Promise<void> {
  const { name } = next.plan;
  const epoch = host.epoch();
  let failure: string | undefined;
  const undo = host.on((crash) => {
    if (crash.plugin === name && crash.error !== undefined)
      failure = shortError(crash.error.cause instanceof Error ? crash.error.cause : crash.error);
    else if (crash.plugin === name) failure ??= crash.reason;
  });
  host.aside.add(next);
  try {
    await next.start();
  } finally {
    undo();
  }
  if (next.state !== 'running' && next.state !== 'idle') {
    await next.stop();
    host.aside.delete(next);
    throw new JailThreadError(
      `host.replace("${name}", { graceful: true }): the new process did not start (${failure ?? next.state}); the old one goes on serving.`,
    );
  }
  if (host.epoch() !== epoch || host.current(name) !== old) {
    await next.stop();
    host.aside.delete(next);
    throw new JailThreadError(
      `host.replace("${name}", { graceful: true }): the host was stopped, or the plugin removed or replaced, meanwhile; the new process was stopped.`,
    );
  }
  host.aside.delete(next);
  host.aside.add(old);
  host.swap(old, next);
  try {
    await host.inFlight.drained(old, old.plan.shutdownTimeout);
    // A stop of the host meanwhile is stopping both: there is no one to hand the state to.
    if (host.epoch() === epoch && hasMethod(old.plan, 'handover') && hasMethod(next.plan, 'takeover')) {
      try {
        const state = await old.call('handover', undefined, old.plan.shutdownTimeout);
        await next.call('takeover', state, next.plan.shutdownTimeout);
      } catch (error) {
        host.emitError(
          new JailThreadError(
            `host.replace("${name}", { graceful: true }): the handover failed (${(error as Error).message}); the new process starts fresh.`,
          ),
          name,
        );
      }
    }
    await old.stop();
  } finally {
    host.aside.delete(old);
  }
}
