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
    // The per-line table, on this Node alone in a smoke run.
    expect(stdout).to.contain(`| ${process.version} | `);
  });
});

describe('bench: the per-line start rows still run', () => {
  it('a smoke run of bench/start-rows.js on this Node measures each row for both systems', async function () {
    this.timeout(120_000);
    const rows = fileURLToPath(new URL('../../bench/start-rows.js', import.meta.url));
    const { stdout } = await execa(process.execPath, [rows, '--smoke']);
    const result = JSON.parse(stdout) as { node: string; rows: Record<string, Record<string, number>> };
    expect(result.node).to.equal(process.version);
    expect(result.rows['warm start']?.jailthread).to.be.above(0);
    expect(result.rows['warm start (preloaded)']?.jailthread).to.be.above(0);
    for (const row of [
      'cold start',
      'first 50 round trips (mean)',
      'steady round trip',
      'stop (asleep for 60 s)',
      'memory per idle thread (PSS, MiB)',
      '10 threads: wall time',
    ]) {
      expect(result.rows[row], row).to.have.all.keys('raw fork', 'jailthread');
    }
  });
});

describe('bench: the child CPU comparison still runs', () => {
  it('bench/child-cpu.js reports both systems', async function () {
    this.timeout(120_000);
    const script = fileURLToPath(new URL('../../bench/child-cpu.js', import.meta.url));
    const { stdout } = await execa(process.execPath, [script, '--rounds', '1']);
    expect(stdout).to.match(/^raw fork +child CPU to run\(\) \d+\.\d ms/m);
    expect(stdout).to.match(/^jailthread +child CPU to run\(\) \d+\.\d ms/m);
  });
});
