import type { ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { hostModules } from './host-modules.js';

/** How long the children of a dead host get to end on their own before SIGKILL. */
export const ORPHAN_GRACE_MS = 500;

// Node has no parent-death signal, and a child busy in synchronous code
// cannot notice its host is gone. So one tiny shell per host process, not per
// child, keeps the list of live children from lines on its stdin ("+ pid",
// "- pid"). When the host dies, however it dies, the pipe reaches EOF: the
// children, whose IPC channel closed at the same moment, get a grace to end
// on their own, and whatever still runs after it is killed, with its process
// group (what it started). The shell ignores
// the terminal's signals so a Ctrl-C to the process group cannot end it first.
const SCRIPT = `
trap '' INT TERM HUP QUIT
pids=' '
while read -r op pid; do
  case $op$pids in
    "+"*) pids="$pids$pid " ;;
    "-"*" $pid "*) pids="\${pids%% $pid *} \${pids#* $pid }" ;;
  esac
done
[ "$pids" = ' ' ] && exit 0
sleep ${ORPHAN_GRACE_MS / 1000}
for pid in $pids; do kill -KILL -$pid 2>/dev/null || kill -KILL $pid 2>/dev/null; done
exit 0
`;

/**
 * How many times the watcher is replaced within REPLACE_WINDOW_MS before the
 * host gives up on it: something that kills it as fast as it is started must
 * not make the host fork shells without end.
 * @default 10
 */
export const MAX_WATCHER_REPLACEMENTS = 10;
const REPLACE_WINDOW_MS = 60_000;

let watcher: ChildProcess | undefined;
/** No watcher can run here (no /bin/sh), or it was replaced too often. */
let broken = false;
/** The children to kill if the host dies: re-registered with a replacement watcher. */
const live = new Set<number>();
const replacedAt: number[] = [];

/**
 * The watcher's shell ends while its host runs only if someone stopped or
 * killed it, and orphan protection would then be gone for good, silently. So
 * a new one is started with every live child registered, and the host is told
 * once per replacement.
 */
function replace(shell: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
  if (watcher !== shell) return;
  watcher = undefined;
  const now = Date.now();
  while (replacedAt.length > 0 && (replacedAt[0] as number) < now - REPLACE_WINDOW_MS) replacedAt.shift();
  const how = signal === null ? `exit code ${code}` : `killed by ${signal}`;
  if (replacedAt.length >= MAX_WATCHER_REPLACEMENTS) {
    broken = true;
    process.emitWarning(
      `the orphan watcher (pid ${shell.pid}) ended (${how}) ${MAX_WATCHER_REPLACEMENTS + 1} times within ${REPLACE_WINDOW_MS / 1000} s; it is not replaced again, so a child busy in synchronous code would outlive a SIGKILLed host. Find what kills it.`,
      { code: 'JAILTHREAD_WATCHER' },
    );
    return;
  }
  replacedAt.push(now);
  watcher = start();
  for (const pid of live) write(`+ ${pid}\n`);
  process.emitWarning(
    `the orphan watcher (pid ${shell.pid}) ended (${how}) while the host runs; a new one (pid ${watcher?.pid ?? 'none'}) watches its ${live.size} live ${live.size === 1 ? 'child' : 'children'}.`,
    { code: 'JAILTHREAD_WATCHER' },
  );
}

function start(): ChildProcess | undefined {
  if (broken) return undefined;
  // Outside the try: modules not loaded is the library's bug, not a failed fork.
  const { spawn } = hostModules();
  let shell: ChildProcess;
  try {
    shell = spawn('/bin/sh', ['-c', SCRIPT], { stdio: ['pipe', 'ignore', 'ignore'] });
  } catch {
    // A fork that failed at once (no memory): the next registration tries again.
    return undefined;
  }
  shell.on('error', (error: NodeJS.ErrnoException) => {
    if (watcher === shell) watcher = undefined;
    // Without /bin/sh, idle children still end when their channel closes;
    // only a busy child would outlive a SIGKILLed host. Other errors (no
    // file descriptors) may pass: the next registration tries again.
    if (error.code === 'ENOENT' || error.code === 'EACCES') broken = true;
  });
  // A write to a watcher that just died; its 'exit' replaces it.
  shell.stdin?.on('error', () => undefined);
  shell.on('exit', (code, signal) => replace(shell, code, signal));
  // The watcher must never keep the host alive.
  shell.unref();
  (shell.stdin as Socket | null)?.unref();
  return shell;
}

function write(line: string): void {
  if (watcher?.pid === undefined) watcher = undefined;
  watcher?.stdin?.write(line);
}

/** Registers a child to be killed if this process dies while the child still runs. */
export function watchChild(pid: number): void {
  live.add(pid);
  if (watcher === undefined && !broken) {
    watcher = start();
    // A watcher started late (after a failed start) learns of every child still alive.
    for (const other of live) if (other !== pid) write(`+ ${other}\n`);
  }
  write(`+ ${pid}\n`);
}

/** The child has exited: its PID may be reused, so the watcher must forget it. */
export function unwatchChild(pid: number): void {
  live.delete(pid);
  write(`- ${pid}\n`);
}
