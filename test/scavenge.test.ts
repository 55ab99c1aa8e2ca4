import { execFileSync } from 'node:child_process';
import { getHeapSpaceStatistics } from 'node:v8';
import { expect } from 'chai';
import { scavengeNow } from '../src/child/scavenge.js';

// Pure: a spare's last step before it says it is ready (see src/child/runtime.ts),
// in a fresh process as a spare is, with V8's young generation at a given size.
const SCAVENGE = new URL('../src/child/scavenge.js', import.meta.url).href;

/** In a new process with semispaces of `semiSpaceMb`: young bytes in use before and after scavengeNow(). */
function usedAroundScavenge(semiSpaceMb: number): { before: number; after: number } {
  const script = `
    import { getHeapSpaceStatistics } from 'node:v8';
    import { scavengeNow } from ${JSON.stringify(SCAVENGE)};
    const young = () => getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
    // A quarter of it in use, as after a spare's warm-up; none of it kept.
    const garbage = [];
    const capacity = young().space_used_size + young().space_available_size;
    while (young().space_used_size < capacity / 4) garbage.push({ n: garbage.length });
    garbage.length = 0;
    const before = young().space_used_size;
    scavengeNow();
    console.log(JSON.stringify({ before, after: young().space_used_size }));`;
  const flags = [`--min-semi-space-size=${semiSpaceMb}`, `--max-semi-space-size=${semiSpaceMb}`];
  return JSON.parse(
    execFileSync(process.execPath, [...flags, '--input-type=module', '-e', script], { encoding: 'utf8' }),
  );
}

describe('scavengeNow(): a spare collects its young generation before it is ready', () => {
  it('in this long-lived process too, whatever its young generation has grown to', () => {
    const young = () => getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
    const kept: unknown[] = [];
    const capacity = (young()?.space_used_size ?? 0) + (young()?.space_available_size ?? 0);
    while ((young()?.space_used_size ?? 0) < capacity / 4) kept.push({ n: kept.length });
    kept.length = 0;
    const before = young()?.space_used_size ?? 0;
    scavengeNow();
    expect(young()?.space_used_size).to.be.below(before);
  });

  it('ends with the young generation collected, in a fresh process', () => {
    const { before, after } = usedAroundScavenge(1);
    expect(after).to.be.below(before);
  });

  it('and where the young generation has grown large (64 MiB semispaces)', () => {
    const { before, after } = usedAroundScavenge(64);
    expect(after).to.be.below(before);
  });
});
