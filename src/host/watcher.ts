import { type ChildProcess, spawn } from 'node:child_process';
import type { Socket } from 'node:net';

/** How long the children of a dead host get to end on their own before SIGKILL. */
export const ORPHAN_GRACE_MS = 500;

// Node has no parent-death signal, and a child busy in synchronous code
// cannot notice its host is gone. So one tiny shell per host process, not per
// child, keeps the list of live children from lines on its stdin ("+ pid",
// "- pid"). When the host dies, however it dies, the pipe reaches EOF: the
// children, whose IPC channel closed at the same moment, get a grace to end
// on their own, and whatever still runs after it is killed. The shell ignores
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
kill -KILL $pids 2>/dev/null
exit 0
`;

let watcher: ChildProcess | undefined;
let broken = false;

function start(): ChildProcess | undefined {
  if (broken) return undefined;
  const shell = spawn('/bin/sh', ['-c', SCRIPT], { stdio: ['pipe', 'ignore', 'ignore'] });
  const fail = () => {
    // Without a watcher, idle children still end when their channel closes;
    // only a busy child would outlive a SIGKILLed host.
    broken = true;
    watcher = undefined;
  };
  shell.on('error', fail);
  shell.stdin?.on('error', fail);
  shell.on('exit', fail);
  // The watcher must never keep the host alive.
  shell.unref();
  (shell.stdin as Socket | null)?.unref();
  return shell;
}

/** Registers a child to be killed if this process dies while the child still runs. */
export function watchChild(pid: number): void {
  watcher ??= start();
  watcher?.stdin?.write(`+ ${pid}\n`);
}

/** The child has exited: its PID may be reused, so the watcher must forget it. */
export function unwatchChild(pid: number): void {
  watcher?.stdin?.write(`- ${pid}\n`);
}
