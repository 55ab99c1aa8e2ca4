import { fileURLToPath } from 'node:url';
import { anchorHint, isRelativePath } from '../module-url.js';
import type { Contract, HostFunctions } from '../plugin/contract.js';
import { type Backoff, DEFAULT_BACKOFF } from './restart-budget.js';
import { DEFAULT_ENV_ALLOW, networkRestricted, type Sandbox } from './sandbox.js';

/** The restart policies, in the order error messages list them. */
export const POLICIES = ['always', 'on-failure', 'never'] as const;

/** When a plugin's process ends, whether to start it again: Erlang/OTP's permanent, transient and temporary. */
export type RestartPolicy = (typeof POLICIES)[number];

/**
 * The host functions a plugin may call with `callHost()`: required, one per entry of `contract.host`, when
 * the contract names any (else the plugin's first call would fail long after the mistake).
 */
type ServeField<C extends Contract> = string extends keyof NonNullable<C['host']>
  ? {
      /**
       * The host functions this plugin may call with `callHost()`, one per entry of `contract.host`.
       * @default {}
       */
      serve?: Partial<HostFunctions<C>>;
    }
  : keyof NonNullable<C['host']> extends never
    ? {
        /** @default {} (the contract names no host function) */
        serve?: Record<string, never>;
      }
    : {
        /** The host functions this plugin may call with `callHost()`, one per entry of `contract.host`. */
        serve: HostFunctions<C>;
      };

/** One plugin of a PluginHost: where its code is, and how to supervise it. */
export type PluginSpec<C extends Contract = Contract> = PluginSpecFields<C> & ServeField<C>;

/** The fields of a `PluginSpec` besides `serve`. */
export interface PluginSpecFields<C extends Contract = Contract> {
  /** Unique within the host; the plugin thread's name too. */
  name: string;
  /**
   * The plugin's module: a file: URL or an absolute path (a relative path throws; write
   * `new URL('./plugins/scanner.js', import.meta.url)`). The host never imports it.
   */
  module: string | URL;
  /**
   * The export that is the plugin's class (a JailThread or Plugin subclass).
   * @default 'default'
   */
  export?: string;
  /**
   * The schemas of the plugin's typed calls, both ways; usually the same object the plugin's class declares.
   * @default undefined (no calls)
   */
  contract?: C;
  /**
   * Thread options for the plugin's constructor: `sleeptime`, `idle`, `args` and any data of the plugin's own.
   * @default {}
   */
  options?: { sleeptime?: number; idle?: boolean; args?: unknown[]; [field: string]: unknown };
  /**
   * `'always'` restarts the plugin whenever it ends, `'on-failure'` when it crashed, was killed, hung or
   * outgrew a limit, `'never'` leaves it down.
   * @default 'on-failure'
   */
  restart?: RestartPolicy;
  /** @default { initial: 100, factor: 2, max: 15000, resetAfter: 30000 } */
  backoff?: Backoff;
  /**
   * At most this many restarts within `restartWindow`; one more failure and the plugin is given up (`'errored'`).
   * @default 3
   */
  maxRestarts?: number;
  /**
   * Milliseconds over which `maxRestarts` is counted.
   * @default 300000 (5 minutes)
   */
  restartWindow?: number;
  /**
   * Milliseconds `stop()` waits for the plugin's `run()` to return before it is killed.
   * @default 5000
   */
  shutdownTimeout?: number;
  /**
   * Health pings, answered by the plugin's own event loop: one every `interval` ms; no answer within `timeout`
   * ms and the plugin is declared unresponsive and killed. `false` turns them off.
   * @default { interval: 1000, timeout: 3000 }
   */
  health?: false | { interval?: number; timeout?: number };
  /**
   * `maxOldGenerationSizeMb`: V8's heap limit (the plugin dies out of memory above it). `maxRssMb`: resident
   * memory, checked at every health ping; above it the plugin is recycled (stopped gracefully, then restarted).
   * @default {} (no limits)
   */
  limits?: { maxOldGenerationSizeMb?: number; maxRssMb?: number };
  /**
   * Node's permission model for the plugin, or `false` for none. See `Sandbox` for the defaults.
   * @default {} (read its own package, write nothing, no child processes, workers or addons)
   */
  sandbox?: false | Sandbox;
  /**
   * Variables set in the plugin's environment.
   * @default {}
   */
  env?: Record<string, string>;
  /**
   * Host variables passed through to the plugin. Nothing else of the host's environment is visible.
   * @default PATH, HOME, LANG, LC_ALL, TZ, TMPDIR, TERM, NO_COLOR, FORCE_COLOR, NODE_V8_COVERAGE, NODE_DEBUG
   */
  envAllow?: string[];
  /**
   * Node flags of the plugin's process, besides the sandbox's and the heap limit. Never inherited from the host.
   * @default []
   */
  execArgv?: string[];
  /**
   * Working directory of the plugin: an absolute path or a file: URL (a relative path throws). The plugin's
   * own relative paths resolve against it.
   * @default the host's current directory
   */
  cwd?: string | URL;
  /**
   * Processes kept started for this plugin alone (its flags, environment and sandbox; Node and the library
   * loaded, not the plugin's module), so that a restart adopts one instead of forking. `start()` resolves once
   * they are ready; each one taken is replaced in the background; they end when the plugin stops, ends or is
   * given up.
   * @default 0
   */
  spares?: number;
}

/** A spec with every default filled in. */
export interface PluginPlan {
  name: string;
  module: string | URL;
  export: string;
  contract: Contract | undefined;
  serve: Record<string, (input: unknown, context: { plugin: string }) => unknown>;
  options: Record<string, unknown>;
  restart: RestartPolicy;
  backoff: Required<Backoff>;
  maxRestarts: number;
  restartWindow: number;
  shutdownTimeout: number;
  health: { interval: number; timeout: number } | undefined;
  limits: { maxOldGenerationSizeMb?: number; maxRssMb?: number };
  sandbox: Sandbox | undefined;
  env: Record<string, string>;
  envAllow: readonly string[];
  execArgv: string[];
  cwd: string | undefined;
  spares: number;
}

const KNOWN = [
  'name',
  'module',
  'export',
  'contract',
  'serve',
  'options',
  'restart',
  'backoff',
  'maxRestarts',
  'restartWindow',
  'shutdownTimeout',
  'health',
  'limits',
  'sandbox',
  'env',
  'envAllow',
  'execArgv',
  'cwd',
  'spares',
];

type Record_ = Record<string, unknown>;
const isObject = (value: unknown): value is Record_ =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Checks a spec field by field, so that a mistake is reported where it was made. */
class SpecReader {
  readonly #who: string;

  constructor(who: string) {
    this.#who = who;
  }

  fail(field: string, problem: string, Kind: typeof TypeError = TypeError): never {
    throw new Kind(`PluginHost.add({ ${field} }) of plugin "${this.#who}": ${problem}.`);
  }

  number(value: unknown, field: string, fallback: number, min = 0): number {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || Number.isNaN(value)) this.fail(field, `must be a number, got ${typeof value}`);
    if (!Number.isFinite(value) || value < min) {
      this.fail(field, `must be a finite number >= ${min}, got ${value}`, RangeError);
    }
    return value;
  }

  object(value: unknown, field: string): Record_ {
    if (value === undefined) return {};
    if (!isObject(value)) this.fail(field, 'must be an object');
    return value;
  }

  strings(value: unknown, field: string): string[] | undefined {
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
      this.fail(field, 'must be an array of strings');
    }
    return value;
  }

  /** Refuses keys outside `known`, listing the valid ones: a typo must not pass as a default. */
  keys(value: Record_, field: string, known: readonly string[]): void {
    for (const key of Object.keys(value)) {
      if (!known.includes(key)) {
        const where = field === '' ? key : `${field}.${key}`;
        const what = field === '' ? 'a plugin setting' : `a setting of ${field}`;
        this.fail(where, `is not ${what}; the settings are ${known.join(', ')}`);
      }
    }
  }

  /** An absolute path (or a file: URL, as a path); a relative one would depend on the host's current directory. */
  path(value: string | URL, field: string): string {
    if (isRelativePath(value)) {
      this.fail(
        field,
        `'${String(value)}' is a relative path, which would depend on the host's current directory; use ${anchorHint(String(value), 'path')}`,
      );
    }
    return value instanceof URL || value.startsWith('file:') ? fileURLToPath(value) : value;
  }

  flag(value: unknown, field: string): boolean {
    if (value === undefined) return false;
    if (typeof value !== 'boolean') this.fail(field, 'must be true or false');
    return value;
  }
}

function readSandbox(value: unknown, read: SpecReader): Sandbox | undefined {
  if (value === false) return undefined;
  const box = read.object(value, 'sandbox');
  read.keys(box, 'sandbox', ['read', 'write', 'childProcess', 'worker', 'addons', 'net']);
  if (box.net === false && !networkRestricted()) {
    // Said once per spec: the user asked for something this Node cannot do.
    process.emitWarning(
      `sandbox.net: false is not enforced on Node ${process.versions.node}: the permission model restricts the network from Node 25 only.`,
      { code: 'JAILTHREAD_NET_UNRESTRICTED' },
    );
  }
  const paths = (field: 'read' | 'write') =>
    read.strings(box[field], `sandbox.${field}`)?.map((p, i) => read.path(p, `sandbox.${field}[${i}]`));
  const readable = paths('read');
  return {
    ...(readable === undefined ? {} : { read: readable }),
    write: paths('write') ?? [],
    childProcess: read.flag(box.childProcess, 'sandbox.childProcess'),
    worker: read.flag(box.worker, 'sandbox.worker'),
    addons: read.flag(box.addons, 'sandbox.addons'),
    net: read.flag(box.net, 'sandbox.net'),
  };
}

/** Checks a spec and fills in its defaults; throws TypeError or RangeError naming the field and the fix. */
export function planOf(spec: PluginSpec): PluginPlan {
  if (!isObject(spec))
    throw new TypeError('PluginHost.add(spec): spec must be an object with at least name and module.');
  const who = typeof spec.name === 'string' ? spec.name : 'unnamed';
  const read = new SpecReader(who);
  if (typeof spec.name !== 'string' || spec.name === '') read.fail('name', 'must be a non-empty string');
  read.keys(spec as unknown as Record_, '', KNOWN);
  if (typeof spec.module !== 'string' && !(spec.module instanceof URL)) {
    read.fail('module', 'must be an absolute path or a file: URL of the plugin module');
  }
  if (isRelativePath(spec.module)) {
    read.fail(
      'module',
      `'${String(spec.module)}' is a relative path, which would depend on the host's current directory; use ${anchorHint(String(spec.module), 'module')}`,
    );
  }
  const exportName = spec.export ?? 'default';
  if (typeof exportName !== 'string') read.fail('export', 'must be a string naming the export');
  const restart = spec.restart ?? 'on-failure';
  if (!POLICIES.includes(restart))
    read.fail('restart', `must be one of ${POLICIES.join(', ')}, got ${String(restart)}`);
  const backoff = read.object(spec.backoff, 'backoff');
  read.keys(backoff, 'backoff', ['initial', 'factor', 'max', 'resetAfter']);
  const health = spec.health === false ? undefined : read.object(spec.health, 'health');
  if (health !== undefined) read.keys(health, 'health', ['interval', 'timeout']);
  const limits = read.object(spec.limits, 'limits');
  read.keys(limits, 'limits', ['maxOldGenerationSizeMb', 'maxRssMb']);
  const serve = read.object(spec.serve, 'serve');
  for (const [fn, handler] of Object.entries(serve)) {
    if (typeof handler !== 'function') read.fail(`serve.${fn}`, 'must be a function');
    if (spec.contract?.host?.[fn] === undefined) {
      read.fail(`serve.${fn}`, 'has no schemas in contract.host; declare its input and output there');
    }
  }
  const missing = Object.keys(spec.contract?.host ?? {}).filter((fn) => serve[fn] === undefined);
  if (missing.length > 0) {
    // Else the plugin's first callHost() would fail, long after the mistake.
    read.fail('serve', `has no function for ${missing.join(', ')} of contract.host; add one for each`);
  }
  const env = read.object(spec.env, 'env');
  if (Object.values(env).some((value) => typeof value !== 'string')) read.fail('env', 'must map names to strings');
  if (spec.cwd !== undefined && typeof spec.cwd !== 'string' && !(spec.cwd instanceof URL)) {
    read.fail('cwd', 'must be an absolute path or a file: URL');
  }
  const spares = read.number(spec.spares, 'spares', 0);
  if (!Number.isInteger(spares)) read.fail('spares', `must be a whole number, got ${spares}`, RangeError);
  const heap = limits.maxOldGenerationSizeMb;
  const rss = limits.maxRssMb;
  return {
    name: spec.name,
    module: spec.module,
    export: exportName,
    contract: spec.contract,
    serve: serve as PluginPlan['serve'],
    options: read.object(spec.options, 'options'),
    restart,
    backoff: {
      initial: read.number(backoff.initial, 'backoff.initial', DEFAULT_BACKOFF.initial),
      factor: read.number(backoff.factor, 'backoff.factor', DEFAULT_BACKOFF.factor, 1),
      max: read.number(backoff.max, 'backoff.max', DEFAULT_BACKOFF.max),
      resetAfter: read.number(backoff.resetAfter, 'backoff.resetAfter', DEFAULT_BACKOFF.resetAfter),
    },
    maxRestarts: read.number(spec.maxRestarts, 'maxRestarts', 3),
    restartWindow: read.number(spec.restartWindow, 'restartWindow', 300_000),
    shutdownTimeout: read.number(spec.shutdownTimeout, 'shutdownTimeout', 5000),
    health:
      health === undefined
        ? undefined
        : {
            interval: read.number(health.interval, 'health.interval', 1000, 1),
            timeout: read.number(health.timeout, 'health.timeout', 3000, 1),
          },
    limits: {
      ...(heap === undefined
        ? {}
        : { maxOldGenerationSizeMb: read.number(heap, 'limits.maxOldGenerationSizeMb', 0, 1) }),
      ...(rss === undefined ? {} : { maxRssMb: read.number(rss, 'limits.maxRssMb', 0, 1) }),
    },
    sandbox: readSandbox(spec.sandbox, read),
    env: env as Record<string, string>,
    envAllow: read.strings(spec.envAllow, 'envAllow') ?? DEFAULT_ENV_ALLOW,
    execArgv: read.strings(spec.execArgv, 'execArgv') ?? [],
    cwd: spec.cwd === undefined ? undefined : read.path(spec.cwd, 'cwd'),
    spares,
  };
}
