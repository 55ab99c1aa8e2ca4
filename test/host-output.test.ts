import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { expect } from 'chai';
import { execaNode } from 'execa';
import { request } from './cli-modules.js';
import { ESCAPES, FORGED } from './fixtures/plugins/hostile-text.js';
import { hostScript } from './helpers.js';
import { userApp } from './user-app.js';

const CLI = () => path.join(userApp(), 'node_modules/jailthread/dist/cli.js');
// biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for raw control characters
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/;

describe("host output: the host's own streams cannot kill it or be forged", function () {
  this.timeout(60_000);

  it('`jailthread run | head -3`: the reader goes, the host and its plugins go on, the dropped lines are counted', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'jailthread-epipe-'));
    const socket = path.join(dir, 'control.sock');
    const config = path.join(dir, 'jails.json');
    const module = path.join(userApp(), 'plugins', 'printer.js');
    writeFileSync(
      config,
      JSON.stringify({ socket, plugins: [{ name: 'printer', module, options: { sleeptime: 1 } }] }),
    );
    const host = execaNode(CLI(), ['run', config], { reject: false, buffer: { stdout: false } });
    try {
      const lines = createInterface({ input: host.stdout });
      let seen = 0;
      for await (const _ of lines) if (++seen === 3) break;
      host.stdout.destroy();
      // The plugin prints a line a millisecond: 200 more after the pipe closed is proof the host wrote into it.
      const printed = async () =>
        ((await request(socket, { command: 'status' })) as { status: { lines: number } }[])[0]?.status.lines ?? 0;
      const closedAt = await printed();
      while ((await printed()) < closedAt + 200) expect(host.exitCode).to.equal(null);
      await request(socket, { command: 'stop' });
      const result = await host;
      expect(result.exitCode).to.equal(0);
      expect(result.stderr).to.match(/^jailthread: \d+ lines of output could not be written and were dropped$/m);
    } finally {
      host.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a PluginHost without a logger prints a plugin's lines and unheard errors with escapes shown, as the CLI does", async () => {
    const status = await execaNode(hostScript('default-output'), ['status'], { reject: false });
    expect(status.stdout).to.contain(`[forger] \\r${FORGED}\\u001b]0;pwned\\u0007\\u001b[2J\\u009b31m\\u202e\n`);
    expect(status.stdout).to.not.match(RAW_CONTROL);
    expect(status.stdout).to.contain('host still running');

    const thrown = await execaNode(hostScript('default-output'), ['throw'], { reject: false });
    expect(thrown.exitCode).to.equal(0);
    expect(thrown.stderr).to.contain('Exception in plugin forger:\nError: boom\\u001b]0;pwned');
    // The forged line stays under its header, never at the margin.
    expect(thrown.stderr).to.contain(`\n  ${FORGED}`);
    expect(thrown.stderr).to.not.match(new RegExp(`^${FORGED}`, 'm'));
    expect(thrown.stderr).to.not.match(RAW_CONTROL);
    expect(ESCAPES).to.match(RAW_CONTROL);
  });
});
