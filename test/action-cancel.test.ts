// The command action's side of cancellation: a ban call its caller aborts
// kills the command it runs, so an action that hangs holds nothing.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { PluginHost } from 'jailthread';
import { actionContract } from 'jailthread/actions/command';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Polls `test` until it holds: a file or a process has no message to wait for, so a deadline bounds it. */
async function until(test: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = performance.now() + ms;
  while (!test()) {
    if (performance.now() > deadline) throw new Error(`${what} did not happen within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('jailthread/actions/command: cancellation', function () {
  this.timeout(30_000);
  let dir: string;
  let host: PluginHost<{ action: typeof actionContract }> | undefined;

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'jailthread-action-cancel-'));
  });
  afterEach(async () => {
    await host?.stop();
    host = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('a ban whose caller aborts kills its command at once, long before the command would end', async () => {
    const pidFile = path.join(dir, 'pid');
    // The shell writes its pid, then becomes a 60 s sleep: the abort must end it, not the sleep.
    const argv = ['sh', '-c', 'echo $$ > "$0"; exec sleep 60', pidFile];
    host = new PluginHost().add({
      name: 'action',
      module: import.meta.resolve('jailthread/actions/command'),
      contract: actionContract,
      options: { args: [{ ban: argv, unban: argv, timeout: 60_000 }] },
      sandbox: { childProcess: true, write: [dir] },
    });
    await host.start();
    const controller = new AbortController();
    const call = host.call(
      'action',
      'ban',
      { jail: 'sshd', ip: '203.0.113.7', bantime: 60, failures: 5 },
      {
        signal: controller.signal,
        timeout: 60_000,
      },
    );
    await until(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').endsWith('\n'), 'the command starting');
    const pid = Number(readFileSync(pidFile, 'utf8'));
    controller.abort(new Error('the jail gave up'));
    const error = await call.then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.name).to.equal('AbortError');
    await until(() => !alive(pid), `the command (pid ${pid}) ending`);
    const [row] = await host.status();
    expect(row?.status).to.deep.include({ failed: 1, bans: 0 });
  });
});
