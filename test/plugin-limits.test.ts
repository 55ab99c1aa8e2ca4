import { expect } from 'chai';
import { type LogEntry, PluginHost } from 'jailthread';
import { eventWhere, fixture, quiet, trackHost } from './helpers.js';

const MiB = 1024 * 1024;

describe('plugin host: memory limits', () => {
  it('a plugin over its heap limit dies out of memory and is restarted by its policy', async () => {
    // The plugin's stderr, where V8 reports why it died, comes to the logger rather than the console.
    const stderr: string[] = [];
    const logger = ({ stream, line }: LogEntry) => void (stream === 'stderr' && stderr.push(line));
    const host = trackHost(new PluginHost({ logger })).add({
      name: 'hog',
      module: fixture('plugins/heap-hog'),
      limits: { maxOldGenerationSizeMb: 32 },
      backoff: { initial: 60_000 },
    });
    const crashed = eventWhere(host, 'crash');
    await host.start();
    const crash = await crashed;
    expect(crash.exitReason).to.equal('out-of-memory');
    expect(crash.reason).to.match(/^ran out of memory/);
    expect(stderr.join('\n')).to.match(/FATAL ERROR: .*JavaScript heap out of memory/);
    const [row] = await host.status();
    expect(row).to.include({ state: 'backoff' });
  });

  it('a plugin over its RSS limit is recycled: stopped gracefully, then restarted, with the reason', async () => {
    const host = trackHost(new PluginHost({ logger: quiet })).add({
      name: 'hog',
      module: fixture('plugins/rss-hog'),
      limits: { maxRssMb: 100 },
      health: { interval: 1, timeout: 5_000 },
      backoff: { initial: 1 },
    });
    const recycled = eventWhere(host, 'recycle');
    const exited = eventWhere(host, 'exit');
    const restarted = eventWhere(host, 'restart');
    await host.start();
    const recycle = await recycled;
    expect(recycle.rss).to.be.above(100 * MiB);
    expect(recycle).to.include({ plugin: 'hog', limit: 100 * MiB });
    expect(recycle.reason).to.match(/resident memory [\d.]+ MiB is over the limit of 100 MiB/);
    // Gracefully: run() returned and the process exited with code 0, no signal.
    expect(await exited).to.include({ exitCode: 0, signalCode: null, reason: 'rss limit' });
    expect((await restarted).reason).to.equal('rss limit');
  });
});
