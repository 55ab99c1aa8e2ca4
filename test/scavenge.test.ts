import { getHeapSpaceStatistics } from 'node:v8';
import { expect } from 'chai';
import { scavengeNow } from '../src/child/scavenge.js';

// Pure: a spare's last step before it says it is ready (see src/child/runtime.ts).
const young = () => getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');

describe('scavengeNow(): a spare collects its young generation before it is ready', () => {
  it('ends with the young generation collected: less of it in use than before', () => {
    // Most of a semispace in use, as after a spare's warm-up.
    const kept: unknown[] = [];
    const space = young();
    expect(space, "V8's young generation").to.not.equal(undefined);
    while ((young()?.space_used_size ?? 0) < (space?.space_size ?? 0) / 4) kept.push({ n: kept.length });
    kept.length = 0;
    const before = young()?.space_used_size ?? 0;
    scavengeNow();
    expect(young()?.space_used_size).to.be.below(before);
  });
});
