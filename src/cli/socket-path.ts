import { existsSync } from 'node:fs';
import { lstat, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CliError } from './errors.js';

/** The environment variable that names the control socket. */
export const SOCKET_ENV = 'JAILTHREAD_SOCKET';

/** Where the default socket may go: the user, the environment and the folders to look in. */
export interface SocketPlaces {
  /** @default process.getuid() */
  uid?: number | undefined;
  /** @default process.env */
  env?: NodeJS.ProcessEnv;
  /** @default os.tmpdir() */
  tmpdir?: string;
  /** @default os.homedir() */
  home?: string;
  /** Whether `/run` is a folder (Linux); root's socket goes there. @default whether /run exists */
  hasRun?: boolean;
}

/**
 * The default socket paths, in order of preference; a host takes the first
 * whose folder is private to it, a client the first that holds a socket.
 * Root: `/run/jailthread/control.sock` (only root can create in /run).
 * Others: `$XDG_RUNTIME_DIR/jailthread/control.sock` (a folder only this user
 * can enter), then `<tmpdir>/jailthread-<uid>/control.sock`, then
 * `~/.jailthread/control.sock`: in a shared tmpdir another user can create
 * that folder first, and the host must still find a place of its own.
 */
export function defaultSocketPaths(places: SocketPlaces = {}): string[] {
  const uid = 'uid' in places ? places.uid : process.getuid?.();
  const env = places.env ?? process.env;
  const tmp = path.join(places.tmpdir ?? os.tmpdir(), `jailthread-${uid ?? 'user'}`, 'control.sock');
  if (uid === 0 && (places.hasRun ?? existsSync('/run'))) return ['/run/jailthread/control.sock', tmp];
  const paths: string[] = [];
  const runtime = env.XDG_RUNTIME_DIR;
  if (uid !== 0 && runtime !== undefined && runtime !== '')
    paths.push(path.join(runtime, 'jailthread', 'control.sock'));
  paths.push(tmp, path.join(places.home ?? os.homedir(), '.jailthread', 'control.sock'));
  return paths;
}

/** Where the control socket is and which setting chose it, for messages. */
export interface SocketChoice {
  /** The path; for the default, the first of `candidates`. */
  path: string;
  source: '--socket' | typeof SOCKET_ENV | 'config' | 'default';
  /** For the default: every path it may be, in order (see `defaultSocketPaths()`). */
  candidates?: string[];
}

/**
 * Picks the control socket: `--socket`, then `$JAILTHREAD_SOCKET`, then the
 * config's `socket` (only `run` reads a config), then the per-user default.
 * The command line beats the environment beats the file, as usual for tools
 * whose file is shared and whose invocation is not.
 */
export function chooseSocket(
  flag: string | undefined,
  config: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  places: SocketPlaces = {},
): SocketChoice {
  if (flag !== undefined) return { path: path.resolve(flag), source: '--socket' };
  const fromEnv = env[SOCKET_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return { path: path.resolve(fromEnv), source: SOCKET_ENV };
  if (config !== undefined) return { path: config, source: 'config' };
  const candidates = defaultSocketPaths({ env, ...places });
  return { path: candidates[0] as string, source: 'default', candidates };
}

/** Where a host puts its default socket, and the folders it passed over, each with why. */
export interface HostSocketPlace {
  path: string;
  skipped: string[];
}

/**
 * The first default socket path whose folder is private to this user,
 * creating the folder (mode 0700) if needed. A folder that is someone
 * else's, open to others, or not a folder is passed over (and reported in
 * `skipped`), never used or changed.
 * @throws CliError listing every folder's problem when none can be used
 */
export async function placeHostSocket(
  candidates: readonly string[],
  uid = process.getuid?.(),
): Promise<HostSocketPlace> {
  const skipped: string[] = [];
  for (const candidate of candidates) {
    try {
      await securePrivateDir(path.dirname(candidate), true, uid);
      return { path: candidate, skipped };
    } catch (error) {
      if (!(error instanceof CliError)) throw error;
      skipped.push(error.message);
    }
  }
  throw new CliError(`no default folder for the control socket can be used: ${skipped.join('; ')}`);
}

/**
 * The default socket a client should talk to: the first path, in the host's
 * order, whose folder is private to this user and holds a socket; else the
 * first usable one, where the request will report that no host runs.
 * Folders that are not private are never looked into.
 * @throws CliError when no folder can be used
 */
export async function findHostSocket(candidates: readonly string[], uid = process.getuid?.()): Promise<string> {
  let usable: string | undefined;
  const problems: string[] = [];
  for (const candidate of candidates) {
    try {
      await securePrivateDir(path.dirname(candidate), false, uid);
    } catch (error) {
      if (!(error instanceof CliError)) throw error;
      problems.push(error.message);
      continue;
    }
    usable ??= candidate;
    const stats = await lstat(candidate).catch(() => undefined);
    if (stats?.isSocket()) return candidate;
  }
  if (usable !== undefined) return usable;
  throw new CliError(`no default folder for the control socket can be used: ${problems.join('; ')}`);
}

/**
 * Makes sure the default socket's folder is private: created with mode 0700
 * when `create` is set and it is missing, refused when it is a symlink, not a
 * folder, owned by another user, or writable by group or others (in a shared
 * tmpdir someone else could have made it first, to serve or swap the socket).
 * @throws CliError naming the folder, the problem and the fix
 */
export async function securePrivateDir(dir: string, create: boolean, uid = process.getuid?.()): Promise<void> {
  if (create) {
    try {
      await mkdir(dir, { mode: 0o700 });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && path.dirname(dir) !== dir) {
        await mkdir(path.dirname(dir), { recursive: true, mode: 0o700 });
        return securePrivateDir(dir, create, uid);
      }
      if (code !== 'EEXIST') throw new CliError(`cannot create the socket folder ${dir}: ${(error as Error).message}`);
    }
  }
  let stats: Awaited<ReturnType<typeof lstat>>;
  try {
    stats = await lstat(dir);
  } catch (error) {
    // A client finding no folder finds no host; request() says so.
    if (!create && (error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new CliError(`cannot check the socket folder ${dir}: ${(error as Error).message}`);
  }
  const fix = `remove it, or choose another socket with --socket PATH`;
  if (!stats.isDirectory())
    throw new CliError(`socket folder ${dir} is ${stats.isSymbolicLink() ? 'a symlink' : 'not a folder'}; ${fix}`);
  if (uid !== undefined && stats.uid !== uid)
    throw new CliError(`socket folder ${dir} is owned by uid ${stats.uid}, not by you (uid ${uid}); ${fix}`);
  if ((stats.mode & 0o022) !== 0)
    throw new CliError(
      `socket folder ${dir} is writable by ${stats.mode & 0o002 ? 'everyone' : 'its group'} (mode ${(stats.mode & 0o777).toString(8)}); run 'chmod 700 ${dir}' or ${fix}`,
    );
}
