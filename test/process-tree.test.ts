import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { PluginHost } from 'jailthread';
import { allGoneWithin, eventWhere, fixture, isGone, quiet, trackHost, within } from './helpers.js';

describe("a plugin's process tree ends with it", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'jailthread-tree-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const host = (mode: string) => {
    const file = path.join(dir, 'helpers.json');
    const plugins = trackHost(new PluginHost({ logger: quiet })).add({
      name: 'spawner',
      module: fixture('plugins/spawner'),
      options: { args: [file, mode] },
      sandbox: { childProcess: true, write: [dir] },
      maxRestarts: 0,
    });
    return { plugins, helpers: () => JSON.parse(readFileSync(file, 'utf8')) as number[] };
  };

  it('helpers of a plugin that crashes are ended with it, not re-parented to init', async () => {
    const { plugins, helpers } = host('crash');
    const crashed = eventWhere(plugins, 'crash');
    await plugins.start();
    await crashed;
    const pids = helpers();
    expect(pids).to.have.length(2);
    expect(await allGoneWithin(pids, 5000), `helpers ${pids.join(', ')} outlived their plugin`).to.equal(true);
  });

  it('helpers of a plugin that is stopped are ended with it', async () => {
    const { plugins, helpers } = host('stay');
    await plugins.start();
    // The file appears once run() has spawned them: polled, as nothing announces it.
    let pids: number[] = [];
    await within(() => {
      try {
        pids = helpers();
        return pids.length === 2;
      } catch {
        return false;
      }
    }, 10_000);
    expect(pids.every((pid) => !isGone(pid))).to.equal(true);
    await plugins.stop();
    expect(await allGoneWithin(pids, 5000), `helpers ${pids.join(', ')} outlived their plugin`).to.equal(true);
  });
});
