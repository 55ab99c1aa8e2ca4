import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { expect } from 'chai';
import { execaNode } from 'execa';
import { allGoneWithin, hostScript } from './helpers.js';

/** The first line a host prints: its threads' PIDs, printed once they all run. */
async function pidsOf(host: { stdout: NodeJS.ReadableStream | null }): Promise<number[]> {
  const lines = createInterface({ input: host.stdout as NodeJS.ReadableStream });
  const [line] = (await once(lines, 'line')) as [string];
  lines.close();
  return JSON.parse(line) as number[];
}

describe('orphans: no child outlives its host', () => {
  for (const mode of ['SIGKILL', 'SIGTERM', 'SIGINT', 'exit', 'throw', 'normal'] as const) {
    it(`host ends by ${mode}: its idle and busy children have all exited within 1 s`, async () => {
      const host = execaNode(hostScript('orphans'), [mode], { reject: false, stderr: 'ignore' });
      const pids = await pidsOf(host);
      if (mode.startsWith('SIG')) host.kill(mode as NodeJS.Signals);
      await host;
      expect(await allGoneWithin(pids, 1000)).to.equal(true);
    });
  }

  it('Ctrl-C to the whole process group: the host’s orderly stop still runs every run() to its end', async () => {
    const host = execaNode(hostScript('ctrl-c'), [], { detached: true, reject: false });
    const pids = await pidsOf(host);
    process.kill(-(host.pid as number), 'SIGINT');
    const result = await host;
    const { stops, statuses } = JSON.parse(result.stdout.split('\n')[1] as string);
    expect(stops).to.deep.equal(pids.map(() => ({ forced: false, exitCode: 0, signalCode: null })));
    expect(statuses).to.deep.equal(pids.map(() => ({ cleanedUp: true })));
    expect(result.stderr).to.equal('');
    expect(result.exitCode).to.equal(0);
  });
});
