import { expect } from 'chai';
import { AbortError, PluginHost, ThreadTimeoutError } from 'jailthread';
import { cancelContract } from './fixtures/plugins/cancel-contract.js';
import { fixture, trackHost } from './helpers.js';

/** A host of the cancellable plugin whose `slow` host function tells the test when it starts and when its signal aborts. */
function cancellable() {
  let started!: () => void;
  let aborted!: (reason: unknown) => void;
  const hostStarted = new Promise<void>((resolve) => {
    started = resolve;
  });
  const hostAborted = new Promise<unknown>((resolve) => {
    aborted = resolve;
  });
  const host = trackHost(new PluginHost()).add({
    name: 'c',
    module: fixture('plugins/cancellable'),
    contract: cancelContract,
    serve: {
      quick: () => 'quick',
      slow: (_, { signal }) =>
        new Promise<string>((resolve) => {
          started();
          signal.addEventListener('abort', () => {
            aborted(signal.reason);
            resolve('too late');
          });
        }),
    },
    restart: 'never',
    sandbox: false,
  });
  return { host, hostStarted, hostAborted };
}

describe('plugin host: cancelling calls with an AbortSignal', () => {
  it("an abort rejects the host's call at once with an AbortError, and the plugin's method sees its signal abort", async () => {
    const { host } = cancellable();
    await host.start();
    const controller = new AbortController();
    const call = host.call('c', 'wait', undefined, { signal: controller.signal });
    // The plugin has the call once seen() answers: frames are answered in the order they came.
    expect(await host.call('c', 'seen', undefined)).to.deep.equal(['called']);
    const reason = new Error('the user left');
    controller.abort(reason);
    const error = await call.catch((e: Error) => e);
    expect(error).to.be.instanceOf(AbortError);
    expect(error).to.include({ name: 'AbortError', code: 'ABORT_ERR', cause: reason });
    expect((error as Error).message).to.include('call("wait")');
    expect(await host.call('c', 'seen', undefined)).to.deep.equal(['called', 'AbortError']);
  });

  it("a timeout aborts the plugin's signal too, with ThreadTimeoutError as its reason", async () => {
    const { host } = cancellable();
    await host.start();
    const call = host.call('c', 'wait', undefined, { timeout: 2000 }).catch((e: Error) => e);
    // Answered after wait() has begun, since the plugin answers in the order the calls came.
    await host.call('c', 'seen', undefined);
    expect(await call).to.be.instanceOf(ThreadTimeoutError);
    expect(await host.call('c', 'seen', undefined)).to.deep.equal(['called', 'ThreadTimeoutError']);
  });

  it('a signal already aborted rejects without sending, and a signal that is not an AbortSignal is a TypeError', async () => {
    const { host } = cancellable();
    await host.start();
    const error = await host.call('c', 'wait', undefined, { signal: AbortSignal.abort('no') }).catch((e: Error) => e);
    expect(error).to.include({ name: 'AbortError', code: 'ABORT_ERR', cause: 'no' });
    const bad = await host
      .call('c', 'wait', undefined, { signal: { aborted: false } as unknown as AbortSignal })
      .catch((e: Error) => e);
    expect(bad).to.be.instanceOf(TypeError);
    expect((bad as Error).message).to.match(
      /host\.call\("c", "wait", input, \{ signal \}\): signal must be an AbortSignal/,
    );
    expect(await host.call('c', 'seen', undefined), 'the plugin was never called').to.deep.equal([]);
  });

  it('stopping the plugin aborts the signal of a method under way, whose answer still arrives', async () => {
    const { host } = cancellable();
    await host.start();
    const call = host.call('c', 'wait', undefined, { timeout: 60_000 });
    expect(await host.call('c', 'seen', undefined)).to.deep.equal(['called']);
    const stopping = host.stop('c');
    expect(await call).to.equal('ThreadStateError');
    await stopping;
  });

  it("the plugin's callHost() takes a signal too: its abort rejects it at once and aborts the host function's signal", async () => {
    const { host, hostStarted, hostAborted } = cancellable();
    await host.start();
    expect(await host.call('c', 'ask', undefined)).to.equal('asked');
    await hostStarted;
    expect(await host.call('c', 'abortAsk', undefined)).to.equal('AbortError ABORT_ERR enough');
    const reason = (await hostAborted) as Error;
    expect(reason).to.include({ name: 'AbortError', code: 'ABORT_ERR' });
    expect(reason.message).to.include("aborted by the plugin's signal");
  });

  it("an aborted call frees its slot in the host at once: twice the host's bound of calls in flight, aborted, leave the plugin running", async () => {
    const { host } = cancellable();
    await host.start();
    // 1023 calls and the one that waits for the host to read them: the host's bound of 1024 in flight, twice.
    expect(await host.call('c', 'flood', 1023, { timeout: 60_000 })).to.equal('AbortError');
    const [row] = await host.status();
    expect(row?.state).to.equal('running');
  });
});
