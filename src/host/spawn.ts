import type { ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { getSystemErrorMap } from 'node:util';
import type { ProcessOptions } from '../options.js';
import { framesOnStdin } from './channel-stream.js';
import { childExecArgv } from './exec-argv.js';
import { hostModules } from './process-wide/host-modules.js';
import { spareArgs } from './process-wide/preload.js';

// The bundle puts the worker entry beside the file this module lands in.
const ENTRY = new URL('./worker-entry.js', import.meta.url);

/**
 * Forks the worker entry. execa brings the node flags handling, the
 * environment and the result classification. `module` names the thread's
 * code in `ps`: a cold start's child imports it when the init frame names it,
 * a `spare` before it says it is ready (none for a spare that preloads nothing).
 *
 * Throws a SpawnError when the fork fails at once, as it does when the host
 * is out of file descriptors; later failures (a bad cwd, no memory) come as
 * execa's result, like any other. Only after loadHostModules() has resolved.
 */
export function spawnChild(options: ProcessOptions, module: string | undefined, spare = false) {
  const { execaNode } = hostModules();
  const args = spare || module === undefined ? spareArgs(module) : [module];
  const child = catchLostChild(() =>
    execaNode(ENTRY, args, {
      nodeOptions: childExecArgv(options),
      // Frames travel on fd 3 (see FrameChannel), not on Node's IPC channel.
      ipc: false,
      // stderr always through the host: V8's out-of-memory line is only seen there.
      // stdin carries the host's frames to a child that may not read fd 3 as a socket (see channel-stream.ts).
      stdio: [
        framesOnStdin(options) ? 'pipe' : 'ignore',
        options.output === 'inherit' ? 'inherit' : 'pipe',
        'pipe',
        'pipe',
      ],
      buffer: false,
      reject: false,
      // Not execa's cleanup: it SIGTERMs children as the host exits, before
      // their run() can end. Children stop when their channel closes instead,
      // and the watcher kills the ones that cannot notice.
      cleanup: false,
      forceKillAfterDelay: false,
      env: options.env,
      extendEnv: options.extendEnv,
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
      // A process group of its own: what the thread spawns is ended with it (see signalTree).
      detached: GROUPS,
    }),
  );
  const { pid } = child;
  // Whatever way the child ended, what it left running in its group goes with it.
  if (GROUPS && pid !== undefined) child.once('exit', () => signalGroup(pid, 'SIGKILL'));
  return child;
}

/** POSIX: every thread's process leads a process group, which the host signals as a whole. */
const GROUPS = process.platform !== 'win32';

/** Signals process group `pgid`; false if there is none left (every member has exited). */
function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Signals the child and every process it started that stayed in its group:
 * a plugin's helpers end with it on crash, recycle, restart and stop, rather
 * than being re-parented to init.
 */
export function signalTree(child: Pick<ChildProcess, 'pid' | 'kill'>, signal: NodeJS.Signals): void {
  if (GROUPS && child.pid !== undefined && signalGroup(child.pid, signal)) return;
  child.kill(signal);
}

/** A fork that failed before any process existed; `code` is the system's (EMFILE, ENFILE, …). */
export class SpawnError extends Error {
  readonly code: string;
  constructor(code: string, description: string, cause: unknown) {
    super(`spawn ${process.execPath} ${code} (${description})`, { cause });
    this.name = 'SpawnError';
    this.code = code;
  }
}

/**
 * Node's spawn() does not throw for EMFILE and ENFILE: it returns a
 * ChildProcess without stdio and queues an 'error' event on it. execa then
 * throws a TypeError (it iterates the missing stdio) and drops that object,
 * so the 'error' would find no listener and crash the host. The only way to
 * reach the object is to see it being spawned: ChildProcess.prototype.spawn
 * is wrapped for the duration of this synchronous call, and restored before
 * any other code can run.
 */
function catchLostChild<T>(fork: () => T): T {
  // Node's own method, undocumented and so untyped.
  const prototype = hostModules().ChildProcess.prototype as ChildProcess & { spawn(options: unknown): unknown };
  const original = prototype.spawn;
  let lost: { child: ChildProcess; errno: number } | undefined;
  prototype.spawn = function (this: ChildProcess, options: unknown) {
    const result = original.call(this, options);
    if (typeof result === 'number' && result < 0) lost = { child: this, errno: result };
    return result;
  };
  try {
    return fork();
  } catch (error) {
    if (lost === undefined) throw error;
    lost.child.on('error', () => undefined);
    const [code, description] = getSystemErrorMap().get(lost.errno) ?? [`errno ${lost.errno}`, 'unknown error'];
    throw new SpawnError(code, description, error);
  } finally {
    prototype.spawn = original;
  }
}

export type Child = ReturnType<typeof spawnChild>;

/**
 * Refs or unrefs everything of a child that could keep the host alive: the
 * process, its channel, its pipes. A child that never spawned has plain
 * streams there (execa's stand-ins), which hold nothing and have no ref().
 */
export function setChildRef(child: Child, channel: { ref?(): unknown; unref?(): unknown }, on: boolean): void {
  for (const handle of [child, channel, child.stdout, child.stderr] as Partial<Socket>[]) {
    if (on) handle?.ref?.();
    else handle?.unref?.();
  }
}
