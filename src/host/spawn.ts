import type { Socket } from 'node:net';
import { execaNode } from 'execa';
import type { ProcessOptions } from '../options.js';

// The bundle puts every chunk beside the entry points, so this resolves from
// whichever chunk this module lands in.
const ENTRY = new URL('./worker-entry.js', import.meta.url);

const DEBUG_WITH_VALUE = new Set(['--inspect-port', '--debug-port']);

/**
 * The child's Node flags: the given ones (or the host's), less debugger flags,
 * which would make the child fight the host for the inspector port. Loaders
 * (`--import`, `--loader`) pass through, so a host run under tsx can start
 * threads written in TypeScript.
 */
export function childExecArgv(options: ProcessOptions): string[] {
  const source = options.execArgv ?? process.execArgv;
  const kept: string[] = [];
  for (let i = 0; i < source.length; i++) {
    const arg = source[i] as string;
    if (DEBUG_WITH_VALUE.has(arg)) {
      i++;
    } else if (!arg.startsWith('--inspect') && !arg.startsWith('--debug')) {
      kept.push(arg);
    }
  }
  if (options.maxOldGenerationSizeMb !== undefined) {
    kept.push(`--max-old-space-size=${Math.floor(options.maxOldGenerationSizeMb)}`);
  }
  return kept;
}

/**
 * Forks the worker entry. execa brings the node flags handling, the
 * environment and the result classification. `module`, when known, lets the child start
 * importing the thread's code before the init frame arrives.
 */
export function spawnChild(options: ProcessOptions, module?: string) {
  return execaNode(ENTRY, module === undefined ? [] : [module], {
    nodeOptions: childExecArgv(options),
    // Frames travel on fd 3 (see FrameChannel), not on Node's IPC channel.
    ipc: false,
    // stderr always through the host: V8's out-of-memory line is only seen there.
    stdio: ['ignore', options.output === 'inherit' ? 'inherit' : 'pipe', 'pipe', 'pipe'],
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
  });
}

export type Child = ReturnType<typeof spawnChild>;

/** Refs or unrefs everything of a child that could keep the host alive: the process, its channel, its pipes. */
export function setChildRef(child: Child, channel: Socket, on: boolean): void {
  for (const handle of [child, channel, child.stdout as Socket | null, child.stderr as Socket | null]) {
    if (on) handle?.ref();
    else handle?.unref();
  }
}
