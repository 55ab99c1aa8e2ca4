import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as z from 'zod/mini';
import { ms, nonEmpty, specFields, whole } from '../supervisor/spec-fields.js';
import { allowedKeys, EXPECTED, fieldPath, IDENTIFIER, kind, show } from '../supervisor/spec-issues.js';
import { jsonErrorOffset, lineAndColumn } from './json-position.js';
import { resolveModule } from './resolve-module.js';

const { NAME, EXPORT, OPTIONS, SPARES, SUPERVISION } = specFields();

export { fieldPath };

// A config entry is a spec's data (the rules and defaults host.add() checks
// too, in spec-fields.ts) with paths instead of objects: `contract` names the
// module of its schemas, `routes` serve its host functions by other plugins.
const pluginSchema = z.strictObject({
  name: NAME,
  module: nonEmpty(),
  export: EXPORT,
  contract: z.optional(
    z.string().check(z.regex(/^[^#]+(#[A-Za-z_$][\w$]*)?$/, { error: "must be 'path' or 'path#exportName'" })),
  ),
  options: OPTIONS,
  routes: z.optional(z.record(z.string(), z.string())),
  ...SUPERVISION,
  cwd: z.optional(nonEmpty()),
  spares: SPARES,
});

const configSchema = z.strictObject({
  socket: z.optional(nonEmpty()),
  control: z.optional(z.strictObject({ maxConnections: z.optional(whole(1)), timeout: z.optional(ms(1)) })),
  exitOnErrored: z.optional(z.boolean()),
  plugins: z.array(pluginSchema).check(z.minLength(1, { error: 'must list at least one plugin' })),
});

type RawPlugin = z.infer<typeof pluginSchema>;

/** A config plugin, paths resolved against the config's folder, `contract` and `routes` split. */
export type PluginConfig = Omit<RawPlugin, 'contract' | 'routes'> & {
  /** The module exporting the plugin's contract (absolute path or file: URL) and the export's name. */
  contract?: { module: string; export: string };
  /** Host function name -> the plugin and method it forwards to. */
  routes?: Record<string, { plugin: string; method: string }>;
};

/** A loaded, validated config file. */
export interface Config {
  /** The config file's absolute path. */
  file: string;
  /** The control socket, absolute, if the config names one. */
  socket?: string;
  /** Bounds on control-socket clients (`listenControl()` options), if the config sets any. */
  control?: { maxConnections?: number; timeout?: number };
  /** `run --exit-on-errored`: stop every plugin and exit 3 once one is given up. */
  exitOnErrored?: boolean;
  plugins: PluginConfig[];
}

/**
 * The config file cannot be used: it is missing or unreadable, is not JSON,
 * or does not match the schema. The message names the file and, for each
 * problem, the field, what was wrong and the fix.
 */
export class ConfigError extends Error {
  override name = 'ConfigError';
  /** One line per problem, each starting with the field's path. */
  readonly problems: readonly string[];
  constructor(file: string, problems: string[]) {
    const list = problems.length === 1 ? ` ${problems[0]}` : `\n${problems.map((p) => `  - ${p}`).join('\n')}`;
    super(`config ${file}:${list}`);
    this.problems = problems;
  }
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = fieldPath(issue.path) || '(top level)';
  const got = 'input' in issue ? issue.input : undefined;
  switch (issue.code) {
    case 'invalid_type': {
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      if (got === undefined) return `${where}: is required; add it (${expected})`;
      if (typeof got === 'number' && !Number.isFinite(got)) return `${where}: must be a finite number, got ${got}`;
      return `${where}: expected ${expected}, got ${kind(got)} (${show(got)}); change it to ${expected}`;
    }
    case 'invalid_value':
      return `${where}: must be one of ${issue.values.map(show).join(', ')} (got ${show(got)})`;
    case 'unrecognized_keys': {
      const allowed = allowedKeys(configSchema, issue.path);
      const keys = issue.keys.map((key) => `'${key}'`).join(', ');
      return `${where}: unknown key${issue.keys.length > 1 ? 's' : ''} ${keys}; remove or correct ${issue.keys.length > 1 ? 'them' : 'it'} (allowed: ${allowed.join(', ')})`;
    }
    case 'invalid_union':
      return `${where}: expected false or an object, got ${kind(got)} (${show(got)})`;
    default:
      return `${where}: ${issue.message} (got ${show(got)})`;
  }
}

const splitTarget = (target: string): { plugin: string; method: string } | undefined => {
  const dot = target.lastIndexOf('.');
  const plugin = target.slice(0, dot);
  const method = target.slice(dot + 1);
  return dot > 0 && IDENTIFIER.test(method) ? { plugin, method } : undefined;
};

/** Checks the schema cannot express: unique names and routes that reach a plugin of this config. */
function crossCheck(plugins: RawPlugin[]): string[] {
  const problems: string[] = [];
  const firstIndex = new Map<string, number>();
  plugins.forEach((plugin, index) => {
    const first = firstIndex.get(plugin.name);
    if (first === undefined) firstIndex.set(plugin.name, index);
    else
      problems.push(
        `plugins[${index}].name: '${plugin.name}' is already the name of plugins[${first}]; give each plugin its own name`,
      );
  });
  const names = [...firstIndex.keys()].join(', ');
  plugins.forEach((plugin, index) => {
    for (const [fn, target] of Object.entries(plugin.routes ?? {})) {
      const where = fieldPath(['plugins', index, 'routes', fn]);
      const split = splitTarget(target);
      if (!IDENTIFIER.test(fn))
        problems.push(`${where}: '${fn}' is not a usable host function name; use letters, digits, '_' or '$'`);
      else if (split === undefined)
        problems.push(`${where}: '${target}' must have the form 'plugin.method', e.g. 'recorder.ban'`);
      else if (!firstIndex.has(split.plugin))
        problems.push(`${where}: '${target}' names no plugin of this config; use one of: ${names}`);
    }
  });
  return problems;
}

function resolvePlugin(dir: string, raw: RawPlugin, index: number, problems: string[]): PluginConfig {
  const { contract, routes, ...rest } = raw;
  const resolve = (where: string, field: string): string => {
    const resolved = resolveModule(dir, where);
    if ('file' in resolved) return resolved.file;
    problems.push(`${fieldPath(['plugins', index, field])}: ${resolved.problem}`);
    return where;
  };
  const plugin: PluginConfig = { ...rest, module: resolve(raw.module, 'module') };
  // A plugin runs in the config's folder unless told otherwise, so the relative
  // paths it is given (in `options.args`, its own data) mean what they mean in
  // the rest of the config, wherever the host was started from.
  plugin.cwd = path.resolve(dir, raw.cwd ?? '.');
  if (raw.sandbox) {
    const sandbox = { ...raw.sandbox };
    if (sandbox.read) sandbox.read = sandbox.read.map((p) => path.resolve(dir, p));
    if (sandbox.write) sandbox.write = sandbox.write.map((p) => path.resolve(dir, p));
    plugin.sandbox = sandbox;
  }
  if (contract !== undefined) {
    const hash = contract.indexOf('#');
    const file = hash === -1 ? contract : contract.slice(0, hash);
    plugin.contract = { module: resolve(file, 'contract'), export: hash === -1 ? 'default' : contract.slice(hash + 1) };
  }
  if (routes !== undefined) {
    // crossCheck has vetted every target by now.
    plugin.routes = Object.fromEntries(
      Object.entries(routes).map(([fn, target]) => [fn, splitTarget(target) as { plugin: string; method: string }]),
    );
  }
  return plugin;
}

/**
 * Validates parsed JSON as a config. Relative paths in the fields the library
 * knows (`socket`, `module`, `contract`, `cwd`, `sandbox.read`, `sandbox.write`)
 * are resolved against the config's folder; everything the plugin receives
 * (`options`) is left as written, and since `cwd` defaults to the config's
 * folder, the plugin's own relative paths resolve there too.
 * @param file the config's path
 * @throws ConfigError listing every problem
 */
function parseConfig(data: unknown, file: string): Config {
  const dir = path.dirname(path.resolve(file));
  const parsed = configSchema.safeParse(data, { reportInput: true });
  if (!parsed.success) throw new ConfigError(file, parsed.error.issues.map(describeIssue));
  const problems = crossCheck(parsed.data.plugins);
  if (problems.length > 0) throw new ConfigError(file, problems);
  const plugins = parsed.data.plugins.map((p, index) => resolvePlugin(dir, p, index, problems));
  if (problems.length > 0) throw new ConfigError(file, problems);
  const config: Config = { file: path.resolve(file), plugins };
  if (parsed.data.exitOnErrored !== undefined) config.exitOnErrored = parsed.data.exitOnErrored;
  if (parsed.data.socket !== undefined) config.socket = path.resolve(dir, parsed.data.socket);
  // zod types optional keys as `?: T | undefined`; parsed JSON never holds undefined.
  if (parsed.data.control !== undefined) config.control = { ...parsed.data.control } as NonNullable<Config['control']>;
  return config;
}

function readProblem(error: unknown, file: string): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return `no such file (resolved to ${path.resolve(file)}); check the path`;
  if (code === 'EISDIR') return 'is a folder; pass the JSON config file inside it';
  if (code === 'EACCES') return 'permission denied reading it; run as a user who can read it or change its mode';
  return `cannot be read (${(error as Error).message})`;
}

/**
 * Reads and validates a JSON config file.
 * @throws ConfigError when the file is missing or unreadable, is not JSON, or breaks the schema
 */
export async function loadConfig(file: string): Promise<Config> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError(file, [readProblem(error, file)]);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    let offset: number | undefined;
    try {
      offset = jsonErrorOffset(text);
    } catch {
      // Nesting deep enough to overflow the scanner's stack: report without a position.
    }
    const position = offset === undefined ? undefined : lineAndColumn(text, offset);
    const where = position === undefined ? '' : ` at line ${position.line}, column ${position.column}`;
    throw new ConfigError(file, [
      `JSON syntax error${where}: ${(error as Error).message}; fix it there (JSON allows no comments or trailing commas)`,
    ]);
  }
  return parseConfig(data, file);
}
