import type { EventEmitter } from 'node:events';
import type { PluginHostEvents, PluginState } from '../supervisor/events.js';
import type { StatusRow } from './host-api.js';

/** A row as `status` sends it: `reason` says why a plugin that is not running is not. */
export type ToldRow = StatusRow & { reason?: string };

/** States in which a plugin does its work: `status` exits 0 for these, 3 for any other. */
export const UP_STATES: readonly PluginState[] = ['running', 'idle'];

/**
 * Why each plugin is in the state it is in, from the host's events and the
 * control requests: a row's state says `errored` or `stopped`, not who asked
 * for it or what went wrong. Kept in the CLI, beside the requests it hears.
 */
export class PluginNotes {
  readonly #why = new Map<string, string>();
  readonly #undo: (() => void)[] = [];

  constructor(host: EventEmitter<PluginHostEvents>) {
    const on = <K extends keyof PluginHostEvents>(event: K, listener: (...args: PluginHostEvents[K]) => void) => {
      (host as EventEmitter).on(event, listener as never);
      this.#undo.push(() => (host as EventEmitter).off(event, listener as never));
    };
    on('errored', ({ plugin, reason }) => this.#why.set(plugin, `given up: ${reason}`));
    on('crash', ({ plugin, reason }) => this.#why.set(plugin, `its last process crashed: ${reason}`));
    on('state', ({ plugin, to }) => {
      if (to === 'running') this.#why.delete(plugin);
    });
  }

  /** A control request asked for the plugin's state: that is the reason until it changes again. */
  asked(plugin: string, what: string): void {
    this.#why.set(plugin, what);
  }

  forget(plugin: string): void {
    this.#why.delete(plugin);
  }

  /** The row with `reason` when the plugin is not running. */
  tell<R extends StatusRow>(row: R): R & { reason?: string } {
    const reason = reasonOf(row, this.#why.get(row.name));
    return reason === undefined ? row : { ...row, reason };
  }

  close(): void {
    for (const undo of this.#undo.splice(0)) undo();
  }
}

function reasonOf(row: StatusRow, why: string | undefined): string | undefined {
  const exit = row.lastExit === null ? '' : ` (last exit: ${row.lastExit})`;
  switch (row.state) {
    case 'running':
      return undefined;
    case 'idle':
      return `idle by request: its process runs but skips its work; \`jailthread idle ${row.name} off\` resumes it`;
    case 'errored':
      return `${why ?? 'given up'}; \`jailthread restart ${row.name}\` starts it again once fixed`;
    case 'backoff':
      return `waiting to restart (restart ${row.restarts + 1}) after ${why ?? `its process ended${exit}`}`;
    case 'starting':
      return row.restarts === 0 ? 'starting' : `restarting (restart ${row.restarts})`;
    case 'stopping':
      return `stopping${why === undefined ? '' : ` (${why})`}`;
    case 'stopped':
      if (row.pid === null) return 'not started yet';
      return why === undefined
        ? `stopped: its process ended${exit} and its restart policy does not start it again`
        : why;
  }
}
