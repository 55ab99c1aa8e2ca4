import { existsSync } from 'node:fs';
import { expect } from 'chai';
import { PluginHost } from 'jailthread';
import { eventWhere, fixture, quiet, trackHost } from './helpers.js';

const MiB = 2 ** 20;

describe('health cannot be switched off from inside the plugin', () => {
  it('a ping answered with an error counts as a failed ping: the plugin is unresponsive, not unwatched', async () => {
    const host = trackHost(new PluginHost({ logger: quiet })).add({
      name: 'breaker',
      module: fixture('plugins/ping-breaker'),
      health: { interval: 1, timeout: 60_000 },
      backoff: { initial: 60_000 },
    });
    host.on('error', () => undefined);
    const unresponsive = eventWhere(host, 'unresponsive');
    const crashed = eventWhere(host, 'crash');
    await host.start();
    expect(await unresponsive).to.include({ plugin: 'breaker', timeout: 60_000 });
    expect((await crashed).reason).to.match(/unresponsive/);
  });

  it('maxRssMb holds with health: false: the host reads /proc on its own timer', async function () {
    if (!existsSync('/proc/self/status')) this.skip();
    const host = trackHost(new PluginHost({ logger: quiet })).add({
      name: 'liar',
      module: fixture('plugins/rss-liar'),
      limits: { maxRssMb: 100 },
      health: false,
      backoff: { initial: 60_000 },
    });
    const recycled = eventWhere(host, 'recycle');
    await host.start();
    const recycle = await recycled;
    expect(recycle.rss).to.be.above(100 * MiB);
    expect(recycle).to.include({ plugin: 'liar', limit: 100 * MiB });
  });
});
