import { expect } from 'chai';
import { PluginHost } from 'jailthread';
import { calcContract } from './fixtures/plugins/calc-contract.js';
import { eventWhere, fixture, quiet, trackHost, within } from './helpers.js';

describe("a host function has the call's timeout as its deadline", () => {
  it('a serve function that never settles: 1100 calls of 20 ms time out one by one, and the plugin is never blamed', async function () {
    this.timeout(120_000);
    const host = trackHost(new PluginHost({ logger: quiet })).add({
      name: 'impatient',
      module: fixture('plugins/impatient-caller'),
      contract: calcContract,
      serve: { lookup: () => new Promise<string>(() => undefined) },
      health: false,
      restart: 'never',
    });
    const errors: Error[] = [];
    host.on('error', (error) => errors.push(error));
    const exited = eventWhere(host, 'exit');
    await host.start();
    const exit = await exited;
    expect(errors.map((error) => error.message)).to.deep.equal([]);
    expect(exit).to.include({ exitCode: 0, exitReason: 'exit' });
    // The final status is kept as its exit is handled: read once it is there.
    let status: unknown;
    await within(async () => {
      status = (await host.status())[0]?.status;
      return status !== undefined;
    }, 10_000);
    expect(status).to.deep.equal({ timeouts: 1100, other: [] });
  });
});
