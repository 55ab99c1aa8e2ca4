import { expect } from 'chai';
import { PluginHost, type PluginSpec, ThreadStateError, ThreadTimeoutError } from 'jailthread';
import { calcContract } from './fixtures/plugins/calc-contract.js';
import { eventWhere, fixture, trackHost } from './helpers.js';

const calculator = (spec: Partial<PluginSpec<typeof calcContract>> = {}) =>
  trackHost(new PluginHost()).add({
    name: 'calc',
    module: fixture('plugins/calculator'),
    contract: calcContract,
    serve: { lookup: ({ key }) => key },
    sandbox: false,
    ...spec,
  });

/** Makes the calculator exit with code 1, and resolves once it is in `state`. */
async function crash(host: ReturnType<typeof calculator>, state: string): Promise<void> {
  const reached = eventWhere(host, 'state', ({ to }) => to === state);
  await host.call('calc', 'quit', 1).catch(() => undefined);
  await reached;
}

describe('plugin host: calls wait for a plugin that is coming back', () => {
  it('a call made in backoff waits for the restart, within its timeout, and is answered', async () => {
    const host = calculator({ backoff: { initial: 50 } });
    await host.start();
    await crash(host, 'backoff');
    expect((await host.status())[0]?.state).to.equal('backoff');
    expect(await host.call('calc', 'add', { a: 2, b: 3 }, { timeout: 60_000 })).to.equal(5);
  });

  it('a call made while the plugin starts waits for it', async () => {
    const host = calculator();
    const starting = eventWhere(host, 'state', ({ to }) => to === 'starting');
    const started = host.start();
    await starting;
    expect((await host.status())[0]?.state).to.equal('starting');
    expect(await host.call('calc', 'add', { a: 1, b: 1 }, { timeout: 60_000 })).to.equal(2);
    await started;
  });

  it('the wait counts toward the timeout: past it, ThreadTimeoutError names the state', async () => {
    const host = calculator({ backoff: { initial: 60_000 } });
    await host.start();
    await crash(host, 'backoff');
    const error = await host.call('calc', 'add', { a: 1, b: 1 }, { timeout: 1 }).catch((e: Error) => e);
    expect(error).to.be.instanceOf(ThreadTimeoutError);
    expect((error as Error).message).to.match(/plugin "calc" is still backoff after the call's timeout of 1 ms/);
  });

  it('an abort ends the wait with an AbortError, and a stop during the wait rejects naming the state', async () => {
    const host = calculator({ backoff: { initial: 60_000 } });
    await host.start();
    await crash(host, 'backoff');
    const controller = new AbortController();
    const aborted = host.call('calc', 'add', { a: 1, b: 1 }, { timeout: 60_000, signal: controller.signal });
    controller.abort('enough');
    expect(await aborted.catch((e: Error) => e)).to.include({ name: 'AbortError', cause: 'enough' });
    const waiting = host.call('calc', 'add', { a: 1, b: 1 }, { timeout: 60_000 }).catch((e: Error) => e);
    await host.stop();
    const error = await waiting;
    expect(error).to.be.instanceOf(ThreadStateError);
    expect((error as Error).message).to.match(/is stopped, not running; start it with host\.start\(\)/);
  });

  it('stopped, errored and stopping reject at once, each with its own next step', async () => {
    const host = calculator({ restart: 'never' });
    const stopped = await host.call('calc', 'add', { a: 1, b: 1 }).catch((e: Error) => e);
    expect(stopped).to.be.instanceOf(ThreadStateError);
    expect((stopped as Error).message).to.match(
      /is stopped, not running; start it with host\.start\(\), or host\.restart\(name\)/,
    );
    await host.start();
    const stopping = host.stop();
    const error = await host.call('calc', 'add', { a: 1, b: 1 }).catch((e: Error) => e);
    expect((error as Error).message).to.match(/is stopping, not running; it is being stopped by host\.stop\(\)/);
    await stopping;
    await host.start();
    await crash(host, 'errored');
    const errored = await host.call('calc', 'add', { a: 1, b: 1 }).catch((e: Error) => e);
    expect((errored as Error).message).to.match(
      /is errored, not running; it was given up .* host\.restart\(name\) brings it back/,
    );
  });
});
