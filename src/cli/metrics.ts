import type { PluginRow, PluginState } from '../supervisor/events.js';
import { isFail2banStatus } from './format-status.js';

// The Prometheus text format (version 0.0.4), written by hand: the host's
// figures are read from its status rows when scraped, and one histogram is
// kept for calls. prom-client would add a dependency with a process-wide
// registry for what is a few dozen lines of formatting; `promtool check
// metrics` checks this output in the tests.

const STATES: readonly PluginState[] = ['starting', 'running', 'idle', 'stopping', 'stopped', 'backoff', 'errored'];

/** Upper bounds of the call latency histogram, in seconds. */
const BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30];
/** Methods counted per plugin; a plugin's calls to methods beyond these are counted as `(other)`. */
const MAX_METHODS = 64;
/** Numeric fields of a plugin's own status exported, in the order found. */
const MAX_FIELDS = 32;

type Outcome = 'ok' | 'error';
/** How a stream ended: its generator returned, it failed, or its reader left (or the host closed) first. */
type StreamOutcome = 'ok' | 'error' | 'cancelled';
const STREAM_OUTCOMES: readonly StreamOutcome[] = ['ok', 'error', 'cancelled'];

interface StreamSeries {
  counts: Record<StreamOutcome, number>;
  items: number;
}

/** The series of `plugin`'s `method` in `all`, made by `make`; past MAX_METHODS a plugin's new methods share `(other)`. */
function seriesOf<S>(all: Map<string, Map<string, S>>, plugin: string, method: string, make: () => S): S {
  let methods = all.get(plugin);
  if (methods === undefined) {
    methods = new Map();
    all.set(plugin, methods);
  }
  const key = methods.has(method) || methods.size < MAX_METHODS ? method : '(other)';
  let series = methods.get(key);
  if (series === undefined) {
    series = make();
    methods.set(key, series);
  }
  return series;
}

interface Series {
  counts: Record<Outcome, number>;
  buckets: number[];
  sum: number;
}

/** Escapes a label value as the text format wants: backslash, double quote, line feed. */
const label = (value: string): string => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

const labels = (pairs: Record<string, string>): string =>
  `{${Object.entries(pairs)
    .map(([key, value]) => `${key}="${label(value)}"`)
    .join(',')}}`;

/**
 * Counts calls and their latency, and streams and their items, by plugin,
 * method and outcome. Bounded: at most MAX_METHODS methods per plugin, and a
 * plugin's series go when it is removed.
 */
export class CallMeter {
  readonly #series = new Map<string, Map<string, Series>>();
  readonly #streams = new Map<string, Map<string, StreamSeries>>();

  /** Runs `call` and counts it. */
  async time<T>(plugin: string, method: string, call: () => Promise<T>): Promise<T> {
    const started = performance.now();
    let outcome: Outcome = 'error';
    try {
      const result = await call();
      outcome = 'ok';
      return result;
    } finally {
      this.#count(plugin, method, outcome, (performance.now() - started) / 1000);
    }
  }

  /** Passes the items of a stream on, counting them and how it ended; `signal` aborted means its reader left. */
  async *stream(plugin: string, method: string, items: AsyncIterable<unknown>, signal: AbortSignal) {
    const series = seriesOf(this.#streams, plugin, method, () => ({
      counts: { ok: 0, error: 0, cancelled: 0 },
      items: 0,
    }));
    let outcome: StreamOutcome = 'error';
    try {
      for await (const item of items) {
        series.items++;
        yield item;
      }
      outcome = 'ok';
    } finally {
      series.counts[outcome === 'error' && signal.aborted ? 'cancelled' : outcome]++;
    }
  }

  forget(plugin: string): void {
    this.#series.delete(plugin);
    this.#streams.delete(plugin);
  }

  #count(plugin: string, method: string, outcome: Outcome, seconds: number): void {
    const series = seriesOf(this.#series, plugin, method, () => ({
      counts: { ok: 0, error: 0 },
      buckets: BUCKETS.map(() => 0),
      sum: 0,
    }));
    series.counts[outcome]++;
    series.sum += seconds;
    BUCKETS.forEach((bound, index) => {
      if (seconds <= bound) (series.buckets[index] as number)++;
    });
  }

  /** The call metrics' lines. */
  lines(): string[] {
    const out = [
      '# HELP jailthread_plugin_calls_total Calls of plugin methods made by the host, by outcome.',
      '# TYPE jailthread_plugin_calls_total counter',
    ];
    const histogram = [
      '# HELP jailthread_plugin_call_duration_seconds Time from a call to its answer.',
      '# TYPE jailthread_plugin_call_duration_seconds histogram',
    ];
    for (const [plugin, methods] of this.#series)
      for (const [method, series] of methods) {
        for (const outcome of ['ok', 'error'] as const)
          out.push(`jailthread_plugin_calls_total${labels({ plugin, method, outcome })} ${series.counts[outcome]}`);
        const count = series.counts.ok + series.counts.error;
        for (const [index, bound] of BUCKETS.entries())
          histogram.push(
            `jailthread_plugin_call_duration_seconds_bucket${labels({ plugin, method, le: String(bound) })} ${series.buckets[index]}`,
          );
        histogram.push(
          `jailthread_plugin_call_duration_seconds_bucket${labels({ plugin, method, le: '+Inf' })} ${count}`,
          `jailthread_plugin_call_duration_seconds_sum${labels({ plugin, method })} ${series.sum}`,
          `jailthread_plugin_call_duration_seconds_count${labels({ plugin, method })} ${count}`,
        );
      }
    return [...out, ...histogram, ...this.#streamLines()];
  }

  #streamLines(): string[] {
    const streams = [
      '# HELP jailthread_plugin_streams_total Streams of plugin methods read by the host, by how they ended.',
      '# TYPE jailthread_plugin_streams_total counter',
    ];
    const items = [
      '# HELP jailthread_plugin_stream_items_total Items of plugin streams passed on by the host.',
      '# TYPE jailthread_plugin_stream_items_total counter',
    ];
    for (const [plugin, methods] of this.#streams)
      for (const [method, series] of methods) {
        for (const outcome of STREAM_OUTCOMES)
          streams.push(
            `jailthread_plugin_streams_total${labels({ plugin, method, outcome })} ${series.counts[outcome]}`,
          );
        items.push(`jailthread_plugin_stream_items_total${labels({ plugin, method })} ${series.items}`);
      }
    return [...streams, ...items];
  }
}

/** The numbers of a plugin's own status, one level deep (`filter.currentlyFailed`), at most MAX_FIELDS. */
function statusNumbers(status: unknown): [string, number][] {
  const found: [string, number][] = [];
  if (typeof status !== 'object' || status === null || Array.isArray(status)) return found;
  for (const [key, value] of Object.entries(status)) {
    if (found.length >= MAX_FIELDS) break;
    if (typeof value === 'number' && Number.isFinite(value)) found.push([key, value]);
    else if (typeof value === 'object' && value !== null && !Array.isArray(value))
      for (const [inner, number] of Object.entries(value)) {
        if (found.length >= MAX_FIELDS) break;
        if (typeof number === 'number' && Number.isFinite(number)) found.push([`${key}.${inner}`, number]);
      }
  }
  return found;
}

interface Family {
  name: string;
  help: string;
  type: 'gauge' | 'counter';
  samples: string[];
}

/** The host's metrics in the Prometheus text format, from its status rows and its call meter. */
export function formatMetrics(rows: readonly PluginRow[], meter: CallMeter): string {
  const family = (name: string, type: Family['type'], help: string): Family => ({ name, type, help, samples: [] });
  const up = family('jailthread_plugin_up', 'gauge', 'Whether the plugin runs (idle by request included).');
  const state = family(
    'jailthread_plugin_state',
    'gauge',
    'The state the plugin is in: 1 for its state, 0 for the others.',
  );
  const restarts = family(
    'jailthread_plugin_restarts_total',
    'counter',
    "Times the plugin's process was started again.",
  );
  const uptime = family('jailthread_plugin_uptime_seconds', 'gauge', "Seconds since the plugin's process began run().");
  const rss = family(
    'jailthread_plugin_resident_memory_bytes',
    'gauge',
    "The plugin process's resident memory at its last health answer.",
  );
  const heap = family(
    'jailthread_plugin_heap_used_bytes',
    'gauge',
    "The plugin process's used V8 heap at its last health answer.",
  );
  const status = family('jailthread_plugin_status_value', 'gauge', "A number of the plugin's own status(), by field.");
  const failed = family('jailthread_jail_currently_failed', 'gauge', "A fail2ban jail's addresses with failures now.");
  const banned = family('jailthread_jail_currently_banned', 'gauge', "A fail2ban jail's addresses banned now.");
  for (const row of rows) {
    const plugin = { plugin: row.name };
    up.samples.push(`${up.name}${labels(plugin)} ${row.state === 'running' || row.state === 'idle' ? 1 : 0}`);
    for (const each of STATES)
      state.samples.push(`${state.name}${labels({ ...plugin, state: each })} ${row.state === each ? 1 : 0}`);
    restarts.samples.push(`${restarts.name}${labels(plugin)} ${row.restarts}`);
    if (row.uptime !== null) uptime.samples.push(`${uptime.name}${labels(plugin)} ${row.uptime / 1000}`);
    if (row.memory !== null) {
      rss.samples.push(`${rss.name}${labels(plugin)} ${row.memory.rss}`);
      heap.samples.push(`${heap.name}${labels(plugin)} ${row.memory.heapUsed}`);
    }
    for (const [field, value] of statusNumbers(row.status))
      status.samples.push(`${status.name}${labels({ ...plugin, field })} ${value}`);
    if (isFail2banStatus(row.status)) {
      const jail = row.status as { filter: { currentlyFailed: number }; actions: { currentlyBanned: number } };
      failed.samples.push(`${failed.name}${labels({ jail: row.name })} ${jail.filter.currentlyFailed}`);
      banned.samples.push(`${banned.name}${labels({ jail: row.name })} ${jail.actions.currentlyBanned}`);
    }
  }
  const host = family('jailthread_host_resident_memory_bytes', 'gauge', "The host process's resident memory.");
  host.samples.push(`${host.name} ${process.memoryUsage.rss()}`);
  const lines = [up, state, restarts, uptime, rss, heap, status, failed, banned, host].flatMap((f) => [
    `# HELP ${f.name} ${f.help}`,
    `# TYPE ${f.name} ${f.type}`,
    ...f.samples,
  ]);
  return `${[...lines, ...meter.lines()].join('\n')}\n`;
}
