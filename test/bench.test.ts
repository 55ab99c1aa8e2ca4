import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { execa } from 'execa';

describe('bench: the benchmark still runs', () => {
  it('a smoke run (2 rounds, nothing written) measures every row', async function () {
    this.timeout(120_000);
    const bench = fileURLToPath(new URL('../../bench/run.js', import.meta.url));
    const { stdout } = await execa(process.execPath, [bench, '--smoke']);
    for (const row of [
      '1. cold start',
      '2. warm start',
      '3. stop',
      '4. control round trip',
      '5a.',
      '5b.',
      '6a.',
      '6b.',
      '7a.',
      '7b.',
      '8a.',
      '8b.',
    ]) {
      expect(stdout).to.contain(row);
    }
    expect(stdout).to.match(/\n {2}jailthread +\d/);
  });
});
