import { expect } from 'chai';
import { PluginHost, type PluginHostEvents } from 'jailthread';
import { eventWhere, fixture, isGone, quiet, trackHost } from './helpers.js';

describe('plugin host: a plugin whose module never finishes loading', () => {
  it('fails its start at startTimeout, the policy takes over, and host.start() starts the plugins after it', async () => {
    const host = trackHost(new PluginHost({ logger: quiet }))
      .add({
        name: 'slow',
        module: fixture('plugins/hangs-loading'),
        startTimeout: 1,
        maxRestarts: 1,
        backoff: { initial: 1 },
      })
      .add({ name: 'steady', module: fixture('plugins/steady') });
    const exits: PluginHostEvents['exit'][0][] = [];
    host.on('exit', (event) => exits.push(event));
    const errored = eventWhere(host, 'errored', (event) => event.plugin === 'slow');
    await host.start();
    const steady = (await host.status()).find((row) => row.name === 'steady');
    expect(steady?.state).to.equal('running');
    const event = await errored;
    expect(event.reason).to.include('restarts');
    const slow = exits.filter((exit) => exit.plugin === 'slow');
    // The first start and the one restart the policy allows, each killed at its deadline.
    expect(slow).to.have.length(2);
    for (const exit of slow) expect(exit).to.include({ signalCode: 'SIGKILL' });
    const [row] = await host.status();
    expect(row).to.include({ name: 'slow', state: 'errored' });
    expect(row?.lastExit).to.match(/^start failed/);
    for (const exit of slow) expect(exit.reason).to.match(/start failed/);
    expect(isGone(row?.pid as number)).to.equal(true);
  });
});
