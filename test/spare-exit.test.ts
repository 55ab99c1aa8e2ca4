import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { JailThread } from 'jailthread';
import { allGoneWithin, fixture, within, workers } from './helpers.js';

const permission = process.allowedNodeEnvironmentFlags.has('--permission')
  ? ['--permission']
  : ['--experimental-permission', '--disable-warning=ExperimentalWarning'];

describe('spares: one that exits by itself', () => {
  it('is gone, under a permission model too (from Node 25 its channel then says bye, and the pool ends it)', async () => {
    const before = workers();
    const options = {
      execArgv: [...permission, '--allow-fs-read=*', '--import', fileURLToPath(fixture('exits-soon'))],
    };
    // It may end before or after it is ready; either way prewarm() settles.
    const warming = JailThread.prewarm(1, options).catch(() => undefined);
    const spares = () => workers().filter((pid) => !before.includes(pid));
    expect(await within(() => spares().length > 0, 10_000), 'a spare forked').to.equal(true);
    const forked = spares();
    expect(await allGoneWithin(forked, 10_000), 'the spare ended, not stuck in its exit').to.equal(true);
    await warming;
    await JailThread.prewarm(0, options);
  });
});
