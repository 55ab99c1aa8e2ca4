import { expect } from 'chai';
import { execaNode } from 'execa';
import { hostScript } from './helpers.js';

const MiB = 2 ** 20;

interface Cost {
  peakMiB: number;
  stallMs: number;
  ms: number;
  exitReason: string | null;
  errors: string[];
  messages: unknown[];
  name: string;
}

/** Runs a hostile fixture under test/hosts/hostile (see there) and returns its output and what it cost the host. */
async function attack(name: string, sleeptime: number, output: 'inherit' | 'prefix' = 'inherit') {
  const host = await execaNode(hostScript('hostile'), [name, String(sleeptime), output], {
    nodeOptions: ['--expose-gc'],
    maxBuffer: 64 * MiB,
    stripFinalNewline: false,
  });
  return { stdout: host.stdout, cost: JSON.parse(host.stderr.split('\n').at(-2) as string) as Cost };
}

// Each figure's bound is many times what the fixed host measures on a loaded
// 2-core machine, and many times below what the unbounded host reached.
describe('host bounds: nothing a child sends makes the host spend without bound', () => {
  it('a 1 MB frame trickled one byte per write: host memory and event-loop stalls stay small', async function () {
    this.timeout(60_000);
    const { cost } = await attack('trickle', 1_000_000);
    expect(cost.messages).to.deep.equal([1_000_000, 'done']);
    expect(cost.peakMiB, 'heap and buffer growth, MiB').to.be.below(50);
    expect(cost.stallMs, 'longest event-loop stall, ms').to.be.below(2_000);
  });
});
