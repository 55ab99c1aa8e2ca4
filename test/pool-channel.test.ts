import { expect } from 'chai';
import { networkRestricted, PluginHost } from 'jailthread';
import { quiet, trackHost } from './helpers.js';
import { userPlugin } from './user-app.js';

describe("the channel of a sandboxed plugin never waits behind the plugin's own pool work", () => {
  it('a plugin hashing on all four pool threads still answers, at once, every status request', async function () {
    // Only Node 25 and later deny a sandboxed plugin the network, and with it a socket on fd 3.
    if (!networkRestricted()) this.skip();
    this.timeout(60_000);
    const host = trackHost(new PluginHost({ logger: quiet })).add({
      name: 'hog',
      module: userPlugin('pool-hog'),
      health: false,
      // Its hashing would hold an orderly exit for a minute: SIGTERM ends it.
      shutdownTimeout: 0,
    });
    await host.start();
    // Hashing 50 million rounds takes many seconds a call: every answer below comes while all four run.
    for (let round = 0; round < 10; round++) {
      const [row] = await host.status();
      expect(row?.status).to.deep.equal({ hashing: 4 });
    }
  });
});
