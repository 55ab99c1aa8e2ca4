import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { JailThread, PluginHost, ProtocolError } from 'jailthread';
import { bigStreamContract } from './fixtures/plugins/big-streamer.js';
import { calcContract } from './fixtures/plugins/calc-contract.js';
import { eventWhere, fixture, nextMessage, quiet, track, trackHost } from './helpers.js';

const MiB = 2 ** 20;
const RAW_CHANNEL = fileURLToPath(fixture('raw-channel'));
const TOO_LARGE = /its status is more than 8388608 bytes of JSON \(the host keeps at most 8388608\), so it was dropped/;

/** A plugin host running the big-streamer fixture as `name`, with a budget of 16 MiB. */
const bigStreamer = (name: string) =>
  trackHost(new PluginHost({ logger: quiet })).add({
    name,
    module: fixture('plugins/big-streamer'),
    contract: bigStreamContract,
    sandbox: false,
    health: false,
    limits: { maxHeldMb: 16 },
    restart: 'never',
  });

/** The longest the host's event loop was blocked while `work` ran, in ms. */
async function stallOf(work: () => Promise<void>): Promise<number> {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  try {
    await work();
  } finally {
    delay.disable();
  }
  return delay.max / 1e6;
}

describe('host budget: what a child sends is measured before it is kept, and counted against one budget', () => {
  it('a sparse-array status (26 bytes sent, 500 MB of JSON) is refused as too large, live and as the final status', async () => {
    const thread = track(JailThread.fromModule(fixture('sparse-status'), { name: 'sparse' }));
    const ready = nextMessage(thread);
    await thread.start();
    await ready;
    let live: unknown;
    const stall = await stallOf(async () => {
      live = await thread.getStatus().catch((error: unknown) => error);
    });
    expect(live).to.be.instanceOf(ProtocolError);
    expect((live as Error).message).to.match(TOO_LARGE);
    // The walk stops at the bound: far below the 28 s the host spent expanding it before.
    expect(stall).to.be.below(1000);
    await thread.stop();
    const kept = await thread.getStatus().catch((error: unknown) => error);
    expect((kept as Error).message).to.match(TOO_LARGE);
  });

  it("a plugin host's row shows the refusal, and keeps it as the final status once the plugin is gone", async () => {
    const host = trackHost(new PluginHost({ logger: quiet })).add({
      name: 'sparse',
      module: fixture('sparse-status'),
      health: false,
    });
    await host.start();
    const [live] = await host.status();
    expect((live?.status as { error: string } | undefined)?.error).to.match(TOO_LARGE);
    await host.stop();
    const [kept] = await host.status();
    expect(kept?.state).to.equal('stopped');
    expect((kept?.status as { error: string } | undefined)?.error).to.match(TOO_LARGE);
  });

  it('a plugin whose calls keep over 128 MiB of inputs waiting in a slow serve function is killed as misbehaved', async () => {
    let release: () => void = () => undefined;
    const served = new Promise<string>((resolve) => {
      release = () => resolve('late');
    });
    const host = trackHost(new PluginHost({ logger: quiet })).add({
      name: 'hoarder',
      module: fixture('plugins/big-caller'),
      // It imports ../raw-channel.js, outside its folder: the default sandbox does not read there.
      sandbox: { read: [RAW_CHANNEL] },
      contract: calcContract,
      serve: { lookup: () => served },
      health: false,
      backoff: { initial: 60_000 },
    });
    const errors: Error[] = [];
    host.on('error', (error) => errors.push(error));
    const crashed = eventWhere(host, 'crash');
    try {
      await host.start();
      expect((await crashed).exitReason).to.equal('misbehaved');
    } finally {
      release();
    }
    expect(errors[0]?.message).to.match(
      /^thread "hoarder" \(pid \d+\) made the host hold \d+ bytes for it \((\d+ in a frame being received, )?\d+ in inputs of its calls being served.*\), over its budget of 134217728; it was killed/,
    );
  });

  it('items of a stream the host does not read count against the budget: over it the plugin is killed', async () => {
    const host = bigStreamer('flood');
    const errors: Error[] = [];
    host.on('error', (error) => errors.push(error));
    const crashed = eventWhere(host, 'crash');
    await host.start();
    // Eight 4 MiB items may wait unread (the mark), 32 MiB: the host reads one, then none.
    const items = host.stream('flood', 'big', { mib: 4, count: 1000 }, { highWaterMark: 8 });
    expect((await items.next()).value).to.have.length(4 * MiB);
    expect((await crashed).exitReason).to.equal('misbehaved');
    expect(errors[0]?.message).to.match(/\d+ in unread stream items.*over its budget of 16777216; it was killed/);
    await items.return?.();
  });

  it('a stream item read is let go: a reader keeping up reads more than its budget in all', async () => {
    const host = bigStreamer('steady');
    await host.start();
    let read = 0;
    for await (const item of host.stream('steady', 'big', { mib: 3, count: 20 }, { highWaterMark: 2 })) {
      read += item.length;
    }
    expect(read).to.equal(60 * MiB);
    const [row] = await host.status();
    expect(row?.state).to.equal('running');
  });

  it('limits.maxHeldMb lowers the budget: one 32 MiB call is over 16 MiB', async () => {
    const host = trackHost(new PluginHost({ logger: quiet })).add({
      name: 'small',
      module: fixture('plugins/big-caller'),
      // It imports ../raw-channel.js, outside its folder: the default sandbox does not read there.
      sandbox: { read: [RAW_CHANNEL] },
      contract: calcContract,
      serve: { lookup: () => 'ok' },
      health: false,
      limits: { maxHeldMb: 16 },
      backoff: { initial: 60_000 },
    });
    const errors: Error[] = [];
    host.on('error', (error) => errors.push(error));
    const crashed = eventWhere(host, 'crash');
    await host.start();
    expect((await crashed).exitReason).to.equal('misbehaved');
    expect(errors[0]?.message).to.match(/over its budget of 16777216;/);
    expect(16 * MiB).to.equal(16777216);
  });
});
