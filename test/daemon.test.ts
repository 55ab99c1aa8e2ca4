import { expect } from 'chai';
import { execaNode } from 'execa';
import { allGoneWithin, hostScript, isGone } from './helpers.js';

describe('daemon: what keeps the host alive', () => {
  it('a non-daemon thread keeps the host alive until it ends', async () => {
    const host = await execaNode(hostScript('keepalive'), ['non-daemon']);
    const [pid, kept] = host.stdout.split('\n');
    expect(kept).to.equal('kept alive');
    expect(isGone(Number(pid))).to.equal(true);
  });

  it('a non-daemon thread started from a spare keeps the host alive too', async () => {
    const host = await execaNode(hostScript('keepalive'), ['non-daemon', 'warm']);
    expect(host.stdout.split('\n')[1]).to.equal('kept alive');
  });

  it('a daemon thread lets the host exit, and is terminated with it', async () => {
    const host = await execaNode(hostScript('keepalive'), ['daemon']);
    const [pid, kept] = host.stdout.split('\n');
    expect(kept, 'the host did not wait for the daemon thread').to.equal(undefined);
    expect(await allGoneWithin([Number(pid)], 10_000)).to.equal(true);
  });
});
