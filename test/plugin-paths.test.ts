import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'chai';
import { JailThread, PluginHost } from 'jailthread';
import { listerContract } from './fixtures/plugins/lister.js';
import { quiet, track, trackHost } from './helpers.js';
import { userApp, userPlugin } from './user-app.js';

describe('plugin paths: sandbox grants and .ts modules', () => {
  it('a granted folder that holds the plugin’s own package stays readable', async () => {
    // The user's app is made in the temporary folder: granting that folder nests the package's grant in it.
    const outer = path.dirname(userApp());
    const host = trackHost(new PluginHost({ logger: quiet })).add({
      name: 'lister',
      module: userPlugin('lister'),
      contract: listerContract,
      sandbox: { read: [outer] },
    });
    await host.start();
    expect(await host.call('lister', 'count', outer)).to.equal(readdirSync(outer).length);
    await host.stop();
  });

  // Node strips types from 22.18 on (22.6 with a flag); Node 20 needs a loader, which the sandbox denies.
  const strips = typeof (process.features as { typescript?: unknown }).typescript === 'string';
  (strips ? it : it.skip)(
    'a .ts plugin module starts sandboxed, without a loader, where Node strips types',
    async () => {
      const file = path.join(userApp(), 'plugins', 'stripped.ts');
      writeFileSync(
        file,
        [
          "import { JailThread } from 'jailthread';",
          'export default class Stripped extends JailThread<{ typed: boolean }> {',
          '  static override readonly module: string = import.meta.url;',
          '  override async run(): Promise<void> {',
          '    while (this.active) await this.sleep(60_000);',
          '  }',
          '  override status(): { typed: boolean } {',
          '    return { typed: true };',
          '  }',
          '}',
          '',
        ].join('\n'),
      );
      const host = trackHost(new PluginHost({ logger: quiet })).add({ name: 'stripped', module: pathToFileURL(file) });
      await host.start();
      const [row] = await host.status();
      expect(row).to.deep.include({ state: 'running', status: { typed: true } });
      await host.stop();
      // A thread too: fromModule() takes the .ts file as it is.
      const thread = track(JailThread.fromModule(pathToFileURL(file), { name: 'stripped-thread' }));
      await thread.start();
      expect(await thread.getStatus()).to.deep.equal({ typed: true });
      await thread.stop();
    },
  );
});
