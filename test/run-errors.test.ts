import { once } from 'node:events';
import { expect } from 'chai';
import { execaNode } from 'execa';
import Throws from './fixtures/throws.js';
import { hostScript, track } from './helpers.js';

describe('run errors: a run() that throws', () => {
  it('reaches the host as an error event with name, message and stack; the child exits 1', async () => {
    const thread = track(new Throws());
    const error = once(thread, 'error');
    await thread.start();
    const [received] = (await error) as [Error];
    expect(received).to.be.instanceOf(TypeError);
    expect(received.message).to.equal('boom from run');
    expect(received.stack).to.contain('throws.js');
    await thread.join();
    expect(thread.exitCode).to.equal(1);
  });

  it('without a listener, prints Python’s "Exception in thread" line on stderr, and the host goes on', async () => {
    const host = await execaNode(hostScript('unheard-error'), [], { reject: false });
    expect(host.exitCode).to.equal(0);
    expect(host.stderr).to.match(/^Exception in thread loud \(pid \d+\):\nTypeError: boom from run\n\s+at /m);
    expect(host.stdout).to.equal('host still running, thread exit code 1');
  });
});

describe('run errors: a plugin whose run() throws', () => {
  it('without a listener on its PluginHost, prints the "Exception in plugin" line on stderr, and the host goes on', async () => {
    const host = await execaNode(hostScript('unheard-plugin-error'), [], { reject: false });
    expect(host.exitCode).to.equal(0);
    expect(host.stderr).to.match(/^Exception in plugin loud:\nTypeError: boom from run\n\s+at /m);
    expect(host.stdout).to.equal('host still running');
  });
});
