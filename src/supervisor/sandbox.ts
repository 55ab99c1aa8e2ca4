import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultReads } from './sandbox-reads.js';

/** Node's permission model as a plugin spec grants it. */
export interface Sandbox {
  /**
   * Paths the plugin may read (files or folders), besides what it needs to load (see `readDefaults`) and
   * the library's files and its module, which it always reads. Absolute paths or `file:` URLs: a relative
   * path throws from `add()`.
   * @default [] (nothing more)
   */
  read?: string[];
  /**
   * Whether the plugin reads what it needs to load besides `read`: its module's folder, its package's
   * package.json, and the node_modules folders its imports resolve in (beside the module and above it).
   * Never the rest of its app's folder (a `.env`, the host's sources): a file it imports from outside its
   * folder goes in `read`. `false`: `read` replaces these, and lists all the plugin reads.
   * @default true
   */
  readDefaults?: boolean;
  /**
   * Paths the plugin may write: absolute paths or `file:` URLs (a relative path throws from `add()`).
   * @default [] (nothing)
   */
  write?: string[];
  /** @default false */
  childProcess?: boolean;
  /** @default false */
  worker?: boolean;
  /** @default false */
  addons?: boolean;
  /**
   * Network access (outgoing and listening sockets, DNS). Enforced from Node 25, whose permission
   * model restricts the network; Node 20 to 24 cannot restrict it, so there the plugin has the network
   * whatever this says (see `networkRestricted`).
   * @default false
   */
  net?: boolean;
}

/** Whether this Node's permission model can deny a plugin the network (Node 25 and later). */
export const networkRestricted = (): boolean => process.allowedNodeEnvironmentFlags.has('--allow-net');

// The library's files sit beside the worker entry: the child must read
// this folder to start at all.
const LIBRARY = fileURLToPath(new URL('.', import.meta.url));
// A spare imports the library by name as it starts (src/child/main.ts); from
// Node 22 the permission model also checks the resolver's read of this file.
const MANIFEST = fileURLToPath(new URL('../package.json', import.meta.url));

/**
 * `--permission` from Node 22.13/23.5, `--experimental-permission` before: whichever this Node knows.
 * Asked when a sandbox is built, not at import: building Node's flag set costs ~0.7 ms, and every
 * thread's child imports this module through the package.
 */
const permissionFlag = (): string =>
  process.allowedNodeEnvironmentFlags.has('--permission') ? '--permission' : '--experimental-permission';

/**
 * Absolute paths, each once, and none inside another: Node 20 aborts at start when one is granted
 * twice, and a grant inside a granted folder makes that folder itself unreadable (`readdir` denied)
 * on Node 20, and on 24 depending on the order. The folder's grant covers what is inside it.
 */
const unique = (paths: string[]): string[] => {
  const all = [...new Set(paths.map((p) => path.resolve(p)))];
  const inside = (p: string, folder: string) =>
    p !== folder && p.startsWith(folder.endsWith(path.sep) ? folder : folder + path.sep);
  return all.filter((p) => !all.some((folder) => inside(p, folder)));
};

/** The Node flags that put a plugin under the permission model. */
export function sandboxFlags(sandbox: Sandbox, moduleUrl: string): string[] {
  const module = moduleUrl.startsWith('file:') ? fileURLToPath(moduleUrl) : moduleUrl;
  const defaults = sandbox.readDefaults === false ? [] : defaultReads(module);
  const read = [LIBRARY, MANIFEST, module, ...defaults, ...(sandbox.read ?? [])];
  // One flag per path: Node 20.20 and later read repeated flags, and a comma
  // list would split a path that contains a comma.
  const permission = permissionFlag();
  const flags = [permission, ...unique(read).map((p) => `--allow-fs-read=${p}`)];
  for (const p of unique(sandbox.write ?? [])) flags.push(`--allow-fs-write=${p}`);
  if (sandbox.childProcess === true) flags.push('--allow-child-process');
  if (sandbox.worker === true) flags.push('--allow-worker');
  if (sandbox.addons === true) flags.push('--allow-addons');
  const net = sandbox.net === true && networkRestricted();
  if (net) flags.push('--allow-net');
  // Every sandboxed plugin would print the same warning: for the model on
  // Node 20, for --allow-net on 25 and later. The documentation says which
  // parts are experimental where.
  if (permission === '--experimental-permission' || net) flags.push('--disable-warning=ExperimentalWarning');
  return flags;
}

/** Host variables a plugin sees unless its spec says otherwise: locale, paths, terminal, and Node's coverage and debug switches. */
export const DEFAULT_ENV_ALLOW: readonly string[] = [
  'PATH',
  'HOME',
  'LANG',
  'LC_ALL',
  'TZ',
  'TMPDIR',
  'TERM',
  'NO_COLOR',
  'FORCE_COLOR',
  'NODE_V8_COVERAGE',
  'NODE_DEBUG',
];

/** The plugin's whole environment: the allowed host variables, then its own. */
export function pluginEnv(allow: readonly string[], own: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of allow) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return { ...env, ...own };
}
