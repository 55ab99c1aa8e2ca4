import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { execa, execaNode } from 'execa';
import { namedBlocks } from './docs-blocks.js';
import { within } from './helpers.js';
import { userApp } from './user-app.js';

// docs/operations.md as an operator uses it: its systemd unit passes `systemd-analyze verify`, and a
// host started with NOTIFY_SOCKET tells a datagram socket READY=1, RELOADING=1 and STOPPING=1.

const CLI = () => path.join(userApp(), 'node_modules/jailthread/dist/cli.js');
const OPERATIONS = fileURLToPath(new URL('../../docs/operations.md', import.meta.url));

/** Whether `command` runs here; a test that needs it skips, saying why, when it does not. */
async function has(command: string, args: string[]): Promise<boolean> {
  const result = await execa(command, args, { reject: false }).catch(() => undefined);
  return result?.exitCode === 0;
}

// A datagram listener: Node has no Unix datagram sockets, Python does. One line per message.
const LISTENER = `
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
print("listening", flush=True)
while True:
    print(s.recv(4096).decode("utf-8", "replace").replace("\\n", " "), flush=True)
`;

const runWithNotify = (config: string, notifySocket: string) =>
  execaNode(CLI(), ['run', config], { reject: false, env: { NOTIFY_SOCKET: notifySocket } });

describe('operations: systemd unit and sd_notify', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'jailthread-ops-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("docs/operations.md's unit passes systemd-analyze verify", async function () {
    if (!(await has('systemd-analyze', ['--version']))) {
      console.log('      (skipped: systemd-analyze is not installed; .ci/run installs the systemd package)');
      this.skip();
    }
    const unit = namedBlocks('docs/operations.md', readFileSync(OPERATIONS, 'utf8')).find(
      (block) => block.file === 'jailthread.service',
    );
    if (unit === undefined) throw new Error('docs/operations.md has no block named jailthread.service');
    // verify checks that ExecStart's program exists: the command as installed in the user's app.
    const bin = path.join(userApp(), 'node_modules/.bin/jailthread');
    expect(existsSync(bin)).to.equal(true);
    const file = path.join(dir, 'jailthread.service');
    writeFileSync(file, unit.text.replaceAll('/usr/local/bin/jailthread', bin));
    const verified = await execa('systemd-analyze', ['verify', '--man=no', file], { reject: false });
    expect(verified.exitCode, verified.stderr).to.equal(0);
    expect(verified.stderr, 'no warnings either').to.equal('');
    // The check can fail: a misspelt key is reported.
    writeFileSync(file, readFileSync(file, 'utf8').replace('KillMode=', 'KillMod='));
    const misspelt = await execa('systemd-analyze', ['verify', '--man=no', file], { reject: false });
    expect(misspelt.stderr).to.include("Unknown key 'KillMod'");
  });

  it('with NOTIFY_SOCKET: READY=1 once the plugins run, RELOADING=1 then READY=1 on reload, STOPPING=1 on stop', async function () {
    if (!(await has('python3', ['--version'])) || !(await has('systemd-notify', ['--version']))) {
      console.log('      (skipped: python3 or systemd-notify is missing; .ci/run installs python3 and systemd)');
      this.skip();
    }
    const notifySocket = path.join(dir, 'notify.sock');
    const socket = path.join(dir, 'control.sock');
    const listenerScript = path.join(dir, 'listen.py');
    writeFileSync(listenerScript, LISTENER);
    chmodSync(listenerScript, 0o600);
    const listener = execa('python3', [listenerScript, notifySocket], { reject: false });
    let heard = '';
    listener.stdout?.on('data', (chunk: Buffer) => {
      heard += chunk.toString();
    });
    const host: { process: ReturnType<typeof runWithNotify> | undefined } = { process: undefined };
    try {
      expect(await within(() => heard.includes('listening'), 10_000)).to.equal(true);
      const config = path.join(dir, 'config.json');
      const module = path.join(userApp(), 'plugins', 'echoer.js');
      writeFileSync(
        config,
        JSON.stringify({ socket, plugins: [{ name: 'web', module, contract: `${module}#echoContract` }] }),
      );
      host.process = runWithNotify(config, notifySocket);
      expect(await within(() => heard.includes('READY=1'), 20_000), heard).to.equal(true);
      expect(heard).to.include('STATUS=1 of 1 plugins running');
      const cli = (...args: string[]) => execaNode(CLI(), [...args, '--socket', socket], { reject: false });
      expect((await cli('status')).exitCode).to.equal(0);
      expect((await cli('reload')).exitCode).to.equal(0);
      // The listener has read READY=1 before the reload answers, but its output reaches this process after.
      const readyAgain = () => heard.slice(heard.indexOf('RELOADING=1')).includes('READY=1');
      expect(await within(readyAgain, 10_000), heard).to.equal(true);
      expect(heard.slice(heard.indexOf('RELOADING=1'))).to.match(/^RELOADING=1 MONOTONIC_USEC=\d+ /);
      expect((await cli('stop')).exitCode).to.equal(0);
      const ended = await host.process;
      host.process = undefined;
      expect(ended.exitCode, ended.stderr).to.equal(0);
      expect(await within(() => heard.includes('STOPPING=1'), 10_000), heard).to.equal(true);
      const messages = heard
        .split('\n')
        .map((line) => line.split(' ')[0])
        // systemd-notify follows each message with BARRIER=1, to wait until it was read.
        .filter((first) => first !== undefined && /^[A-Z]+=1$/.test(first) && first !== 'BARRIER=1');
      expect(messages).to.deep.equal(['READY=1', 'RELOADING=1', 'READY=1', 'STOPPING=1']);
    } finally {
      host.process?.kill('SIGKILL');
      await host.process;
      listener.kill('SIGKILL');
      await listener;
    }
  });
});
