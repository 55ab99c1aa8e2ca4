// `host.add()`'s reading of a spec: the shared field rules plus what only a
// program can pass (functions, URLs, a contract object), the paths a host
// must be given absolute, and every default filled in.
import { fileURLToPath } from 'node:url';
import * as z from 'zod/mini';
import { builtOnce } from '../built-once.js';
import { anchorHint, isRelativePath } from '../module-url.js';
import type { Contract } from '../plugin/contract.js';
import type { Backoff } from './restart-budget.js';
import type { RestartPolicy } from './restart-policy.js';
import { networkRestricted, type Sandbox } from './sandbox.js';
import type { PluginSpec } from './spec.js';
import { nonEmpty, SPEC_DEFAULTS, specFields } from './spec-fields.js';
import { allowedKeys, EXPECTED, fieldPath, kind } from './spec-issues.js';

/** A spec with every default filled in. */
export interface PluginPlan {
  name: string;
  module: string | URL;
  export: string;
  contract: Contract | undefined;
  serve: Record<string, (input: unknown, context: { plugin: string; signal: AbortSignal }) => unknown>;
  options: Record<string, unknown>;
  restart: RestartPolicy;
  backoff: Required<Backoff>;
  maxRestarts: number;
  restartWindow: number;
  shutdownTimeout: number;
  startTimeout: number;
  health: { interval: number; timeout: number } | undefined;
  limits: { maxOldGenerationSizeMb?: number; maxRssMb?: number; maxHeldMb?: number };
  sandbox: Sandbox | undefined;
  env: Record<string, string>;
  envAllow: readonly string[];
  execArgv: string[];
  cwd: string | undefined;
  spares: number;
  start: 'eager' | 'lazy';
  preloadSpares: boolean;
}

const PATH_OR_URL = 'must be an absolute path or a file: URL';
type Handler = PluginPlan['serve'][string];

/** add()'s schema, built on first use, as the shared fields are (see specFields()). */
const buildAddSchema = () => {
  const { NAME, EXPORT, OPTIONS, SUPERVISION, SPARES } = specFields();
  return z.strictObject({
    name: NAME,
    module: z.union([nonEmpty(), z.instanceof(URL)], { error: `${PATH_OR_URL} of the plugin module` }),
    export: EXPORT,
    contract: z.optional(
      z.custom<Contract>((value) => typeof value === 'object' && value !== null, {
        error: 'must be a contract object (see defineContract())',
      }),
    ),
    serve: z.optional(
      z.record(
        z.string(),
        z.custom<Handler>((value) => typeof value === 'function', { error: 'must be a function' }),
      ),
    ),
    options: OPTIONS,
    ...SUPERVISION,
    cwd: z.optional(z.union([nonEmpty(), z.instanceof(URL)], { error: PATH_OR_URL })),
    spares: SPARES,
  });
};
const addSchema = builtOnce(buildAddSchema);

type Issue = z.core.$ZodIssue;

/** An issue in add()'s words: what the field must be and what it got. */
function problemOf(issue: Issue): { field: string; problem: string; range: boolean } {
  const field = fieldPath(issue.path);
  const got = 'input' in issue ? issue.input : undefined;
  switch (issue.code) {
    case 'unrecognized_keys': {
      const key = issue.keys[0] as string;
      const known = allowedKeys(addSchema(), issue.path).join(', ');
      const what = field === '' ? 'a plugin setting' : `a setting of ${field}`;
      return {
        field: fieldPath([...issue.path, key]),
        problem: `is not ${what}; the settings are ${known}`,
        range: false,
      };
    }
    case 'invalid_type': {
      if (typeof got === 'number' && !Number.isFinite(got))
        return { field, problem: `must be a finite number, got ${got}`, range: true };
      if (issue.expected === 'int' && typeof got === 'number')
        return { field, problem: `must be a whole number, got ${got}`, range: true };
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      const problem = got === undefined ? `is required (${expected})` : `must be ${expected}, got ${kind(got)}`;
      return { field, problem, range: false };
    }
    case 'too_small':
      if (issue.origin === 'number') {
        const bound = `${issue.inclusive ? '>=' : '>'} ${String(issue.minimum)}`;
        return { field, problem: `must be a number ${bound}, got ${String(got)}`, range: true };
      }
      return { field, problem: issue.message, range: false };
    case 'too_big':
      return { field, problem: `${issue.message}, got ${String(got)}`, range: true };
    case 'invalid_value':
      return { field, problem: `must be one of ${issue.values.join(', ')}, got ${String(got)}`, range: false };
    default:
      return { field, problem: issue.message, range: false };
  }
}

/** Checks a spec and fills in its defaults; throws TypeError or RangeError naming the field and the fix. */
export function planOf(spec: PluginSpec): PluginPlan {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec))
    throw new TypeError('PluginHost.add(spec): spec must be an object with at least name and module.');
  const who = typeof spec.name === 'string' ? spec.name : 'unnamed';
  const fail = (field: string, problem: string, Kind: typeof TypeError = TypeError): never => {
    throw new Kind(`PluginHost.add({ ${field} }) of plugin "${who}": ${problem}.`);
  };
  const parsed = addSchema().safeParse(spec, { reportInput: true });
  if (!parsed.success) {
    const { field, problem, range } = problemOf(parsed.error.issues[0] as Issue);
    fail(field, problem, range ? RangeError : TypeError);
  }
  const data = (parsed as { data: z.infer<ReturnType<typeof buildAddSchema>> }).data;
  /** An absolute path (a file: URL as a path); a relative one would depend on the host's current directory. */
  const absolute = (value: string | URL, field: string, hint: 'path' | 'module' = 'path'): string => {
    if (isRelativePath(value)) {
      const text = String(value);
      fail(
        field,
        `'${text}' is a relative path, which would depend on the host's current directory; use ${anchorHint(text, hint)}`,
      );
    }
    return value instanceof URL || value.startsWith('file:') ? fileURLToPath(value) : value;
  };
  absolute(data.module, 'module', 'module');
  const serve = data.serve ?? {};
  for (const fn of Object.keys(serve)) {
    if (data.contract?.host?.[fn] === undefined)
      fail(`serve.${fn}`, 'has no schemas in contract.host; declare its input and output there');
  }
  const missing = Object.keys(data.contract?.host ?? {}).filter((fn) => serve[fn] === undefined);
  // Else the plugin's first callHost() would fail, long after the mistake.
  if (missing.length > 0) fail('serve', `has no function for ${missing.join(', ')} of contract.host; add one for each`);
  const { backoff, health, limits } = data;
  return {
    name: data.name,
    module: data.module,
    export: data.export ?? SPEC_DEFAULTS.export,
    contract: data.contract,
    serve,
    options: data.options ?? {},
    restart: data.restart ?? SPEC_DEFAULTS.restart,
    backoff: { ...SPEC_DEFAULTS.backoff, ...definedOf(backoff ?? {}) },
    maxRestarts: data.maxRestarts ?? SPEC_DEFAULTS.maxRestarts,
    restartWindow: data.restartWindow ?? SPEC_DEFAULTS.restartWindow,
    shutdownTimeout: data.shutdownTimeout ?? SPEC_DEFAULTS.shutdownTimeout,
    startTimeout: data.startTimeout ?? SPEC_DEFAULTS.startTimeout,
    health: health === false ? undefined : { ...SPEC_DEFAULTS.health, ...definedOf(health ?? {}) },
    limits: definedOf(limits ?? {}),
    sandbox: data.sandbox === false ? undefined : sandboxOf(data.sandbox ?? {}, absolute),
    env: data.env ?? {},
    envAllow: data.envAllow ?? SPEC_DEFAULTS.envAllow,
    execArgv: data.execArgv ?? [],
    cwd: data.cwd === undefined ? undefined : absolute(data.cwd, 'cwd'),
    spares: data.spares ?? SPEC_DEFAULTS.spares,
    start: data.start ?? SPEC_DEFAULTS.start,
    preloadSpares: data.preloadSpares ?? SPEC_DEFAULTS.preloadSpares,
  };
}

/** The keys set to a value: `{ max: undefined }` must not override a default. */
function definedOf<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as never;
}

type SandboxInput = Exclude<NonNullable<z.infer<ReturnType<typeof buildAddSchema>>['sandbox']>, false>;

function sandboxOf(box: SandboxInput, absolute: (value: string, field: string) => string): Sandbox {
  if (box.net === false && !networkRestricted()) {
    // Said once per spec: the user asked for something this Node cannot do.
    process.emitWarning(
      `sandbox.net: false is not enforced on Node ${process.versions.node}: the permission model restricts the network from Node 25 only.`,
      { code: 'JAILTHREAD_NET_UNRESTRICTED' },
    );
  }
  const paths = (field: 'read' | 'write') => box[field]?.map((p, i) => absolute(p, `sandbox.${field}[${i}]`));
  const readable = paths('read');
  return {
    ...(readable === undefined ? {} : { read: readable }),
    readDefaults: box.readDefaults ?? true,
    write: paths('write') ?? [],
    childProcess: box.childProcess ?? false,
    worker: box.worker ?? false,
    addons: box.addons ?? false,
    net: box.net ?? false,
  };
}
