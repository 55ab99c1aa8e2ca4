import { lstat, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CliError } from './errors.js';

/** The environment variable that names the control socket. */
export const SOCKET_ENV = 'JAILTHREAD_SOCKET';

/**
 * The per-user default: `$XDG_RUNTIME_DIR/jailthread/control.sock` (a folder
 * only this user can enter, removed at logout), otherwise
 * `<tmpdir>/jailthread-<uid>/control.sock`.
 */
export function defaultSocketPath(env: NodeJS.ProcessEnv = process.env): string {
  const runtime = env.XDG_RUNTIME_DIR;
  if (runtime !== undefined && runtime !== '') return path.join(runtime, 'jailthread', 'control.sock');
  return path.join(os.tmpdir(), `jailthread-${process.getuid?.() ?? 'user'}`, 'control.sock');
}

/** Where the control socket is and which setting chose it, for messages. */
export interface SocketChoice {
  path: string;
  source: '--socket' | typeof SOCKET_ENV | 'config' | 'default';
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
): SocketChoice {
  if (flag !== undefined) return { path: path.resolve(flag), source: '--socket' };
  const fromEnv = env[SOCKET_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return { path: path.resolve(fromEnv), source: SOCKET_ENV };
  if (config !== undefined) return { path: config, source: 'config' };
  return { path: defaultSocketPath(env), source: 'default' };
}

/**
 * Makes sure the default socket's folder is private: created with mode 0700
 * when `create` is set and it is missing, refused when it is a symlink, not a
 * folder, owned by another user, or writable by group or others (in a shared
 * tmpdir someone else could have made it first, to serve or swap the socket).
 * @throws CliError naming the folder, the problem and the fix
 */
export async function securePrivateDir(dir: string, create: boolean): Promise<void> {
  if (create) {
    try {
      await mkdir(dir, { mode: 0o700 });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && path.dirname(dir) !== dir) {
        await mkdir(path.dirname(dir), { recursive: true, mode: 0o700 });
        return securePrivateDir(dir, create);
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
  const uid = process.getuid?.();
  if (uid !== undefined && stats.uid !== uid)
    throw new CliError(`socket folder ${dir} is owned by uid ${stats.uid}, not by you (uid ${uid}); ${fix}`);
  if ((stats.mode & 0o022) !== 0)
    throw new CliError(
      `socket folder ${dir} is writable by ${stats.mode & 0o002 ? 'everyone' : 'its group'} (mode ${(stats.mode & 0o777).toString(8)}); run 'chmod 700 ${dir}' or ${fix}`,
    );
}
