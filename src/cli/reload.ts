import type { EventEmitter } from 'node:events';
import type { Contract } from '../plugin/contract.js';
import type { PluginHostEvents } from '../supervisor/events.js';
import type { PluginHost } from '../supervisor/plugin-host.js';
import type { PluginSpec } from '../supervisor/spec.js';
import { type Config, loadConfig, type PluginConfig } from './config.js';
import { CliError } from './errors.js';
import { preflight } from './preflight.js';
import { buildSpecs } from './specs.js';

type Host = PluginHost<Record<string, Contract>>;

/** As `run`'s: a module still loading after this long is replaced anyway (its start has its own deadline). */
const RELOAD_PROBE_TIMEOUT = 3000;

/** What a reload did, by plugin name; `configError` instead when the config failed its checks. */
export interface ReloadResult {
  added: string[];
  removed: string[];
  replaced: string[];
  unchanged: string[];
}

/** A config entry as compared between reloads: its JSON, paths resolved. */
const entryKey = (plugin: PluginConfig): string => JSON.stringify(plugin);

/**
 * Resolves once `name` has run or given up after an add(): its 'state' events are the handshake.
 * `cancel()` takes the listener off when the add() was refused (a stop of the host wins over a reload).
 */
function settled(host: Host, name: string): { done: Promise<void>; cancel(): void } {
  let onState = (_event: PluginHostEvents['state'][0]) => {};
  const cancel = () => (host as EventEmitter).off('state', onState);
  const done = new Promise<void>((resolve) => {
    onState = ({ plugin, to }) => {
      if (plugin !== name || !['running', 'errored', 'stopped', 'backoff'].includes(to)) return;
      cancel();
      resolve();
    };
    (host as EventEmitter).on('state', onState);
  });
  return { done, cancel };
}

/**
 * Applies a config to a started host as `fail2ban-client reload` does: the
 * config file is read again and checked as `run` checks it (a config that
 * fails changes nothing); then a plugin added is started, one removed is
 * stopped and forgotten, one whose entry changed is replaced (stopped, then
 * started with its new spec), and one unchanged is not touched. One reload
 * at a time, and none once the host stops.
 */
export class Reloader {
  readonly #host: Host;
  readonly #file: string;
  /** The entries the host runs, by name: what the next reload compares against. */
  readonly #applied = new Map<string, string>();
  #busy: string | undefined;

  /** Where the routes of the plugins it adds send their calls. */
  readonly #router: Pick<Host, 'call'>;

  readonly #warn: (text: string) => void;

  constructor(host: Host, config: Config, router: Pick<Host, 'call'> = host, warn: (text: string) => void = () => {}) {
    this.#host = host;
    this.#warn = warn;
    this.#router = router;
    this.#file = config.file;
    for (const plugin of config.plugins) this.#applied.set(plugin.name, entryKey(plugin));
  }

  /** The host is stopping: reloads from now on are refused. */
  stopping(): void {
    this.#busy = 'a stop of the host';
  }

  /**
   * Reloads every plugin, or only `name`'s entry; `graceful` (with a name) replaces that plugin even when
   * its entry is unchanged, with no gap (see `host.replace(spec, { graceful: true })`).
   * @throws ConfigError when the config fails its checks; CliError when a reload or stop runs, or `name` is in neither the config nor the host
   */
  async reload(name?: string, graceful = false): Promise<ReloadResult> {
    if (this.#busy !== undefined) throw new CliError(`refused: ${this.#busy} is under way; try again once it is done`);
    this.#busy = `a reload (of ${name ?? 'every plugin'})`;
    try {
      return await this.#apply(name, graceful);
    } finally {
      if (this.#busy.startsWith('a reload')) this.#busy = undefined;
    }
  }

  async #apply(only: string | undefined, graceful: boolean): Promise<ReloadResult> {
    const config = await loadConfig(this.#file);
    const specs = await buildSpecs(config, this.#router);
    const wanted = new Map(
      config.plugins.map((plugin, index) => [plugin.name, { plugin, spec: specs[index] as PluginSpec }]),
    );
    if (only !== undefined && !wanted.has(only) && !this.#applied.has(only))
      throw new CliError(
        `'${only}' is neither in ${this.#file} nor running; the config's plugins are: ${[...wanted.keys()].join(', ')}`,
      );
    await preflight(config, specs, {
      timeout: RELOAD_PROBE_TIMEOUT,
      onSlow: (warning) => this.#warn(`jailthread reload: ${warning}`),
    });
    const result: ReloadResult = { added: [], removed: [], replaced: [], unchanged: [] };
    const concerned = (name: string) => only === undefined || name === only;
    // Removed first, in reverse order as stop() does; then the config's order.
    for (const name of [...this.#applied.keys()].reverse())
      if (concerned(name) && !wanted.has(name)) {
        await this.#host.remove(name);
        this.#applied.delete(name);
        result.removed.push(name);
      }
    for (const [name, { plugin, spec }] of wanted) {
      if (!concerned(name)) continue;
      const key = entryKey(plugin);
      const before = this.#applied.get(name);
      if (before === key && !graceful) {
        result.unchanged.push(name);
        continue;
      }
      if (before === undefined) {
        const running = settled(this.#host, name);
        try {
          this.#host.add(spec);
        } catch (error) {
          running.cancel();
          throw error;
        }
        await running.done;
        result.added.push(name);
      } else {
        await this.#host.replace(spec, { graceful });
        result.replaced.push(name);
      }
      this.#applied.set(name, key);
    }
    return result;
  }
}
