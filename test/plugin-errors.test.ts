import { expect } from 'chai';
import { PluginHost, ValidationError } from 'jailthread';
import { strictErrorsContract } from './fixtures/plugins/errors-contract.js';
import { fixture, trackHost } from './helpers.js';

/** The error-maker plugin, started, sandboxed as by default, its host checking `record` strictly. */
async function errorMaker() {
  const host = trackHost(new PluginHost()).add({
    name: 'maker',
    module: fixture('plugins/error-maker'),
    contract: strictErrorsContract,
    serve: { record: () => true },
    restart: 'never',
  });
  await host.start();
  return host;
}

/** The chain of causes below `error`, each as `name: message` (a string cause as itself). */
function causes(error: unknown): string[] {
  const chain: string[] = [];
  for (let cause = (error as Error).cause; cause !== undefined; cause = (cause as Error).cause) {
    chain.push(cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause));
    if (!(cause instanceof Error)) break;
  }
  return chain;
}

describe('plugin host: errors keep their fields across the boundary', () => {
  it('child to host: output that breaks the contract is a ValidationError with its issues', async () => {
    const host = await errorMaker();
    const error = await host.call('maker', 'lie', undefined).catch((e: Error) => e);
    expect(error).to.be.instanceOf(ValidationError);
    expect((error as ValidationError).code).to.equal('ERR_VALIDATION');
    expect((error as ValidationError).issues).to.have.length(1);
    expect((error as ValidationError).issues[0]?.path).to.equal('count');
  });

  it('host to child: a host function refusing its input is a ValidationError with its issues in the plugin', async () => {
    const host = await errorMaker();
    const seen = (await host.call('maker', 'relay', { ip: 42 })) as Record<string, unknown>;
    expect(seen).to.deep.include({ name: 'ValidationError', code: 'ERR_VALIDATION', isValidationError: true });
    expect((seen.issues as { path: string }[]).map((issue) => issue.path)).to.deep.equal(['ip']);
    expect(await host.call('maker', 'relay', { ip: '192.0.2.1' })).to.equal(true);
  });

  it("Node's ERR_ACCESS_DENIED arrives with its permission and resource", async () => {
    const host = await errorMaker();
    const error = await host.call('maker', 'read', '/etc/hostname').catch((e: Error) => e);
    expect(error).to.include({ code: 'ERR_ACCESS_DENIED', permission: 'FileSystemRead', resource: '/etc/hostname' });
    expect((error as Error).message, 'names the file and the spec field that grants it').to.match(
      /\(denied: FileSystemRead of \/etc\/hostname; a plugin host grants it with sandbox\.read in the plugin's spec\)$/,
    );
  });

  it('a chain of causes crosses with each class, and a cycle is cut at 8 causes', async () => {
    const host = await errorMaker();
    const chained = await host.call('maker', 'chain', undefined).catch((e: Error) => e);
    expect(causes(chained)).to.deep.equal(['TypeError: inner', 'root']);
    expect((chained as Error).cause).to.be.instanceOf(TypeError);
    const looped = await host.call('maker', 'loop', undefined).catch((e: Error) => e);
    expect(looped).to.be.instanceOf(RangeError);
    expect(causes(looped)).to.deep.equal(Array(8).fill('RangeError: its own cause'));
  });
});
