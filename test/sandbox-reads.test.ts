import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { PluginHost } from 'jailthread';
import { quiet, trackHost } from './helpers.js';
import { userApp, userPlugin } from './user-app.js';

describe('the default sandbox grants what the plugin needs to load, no more', () => {
  let env: string;
  let host: string;
  let beside: string;
  beforeEach(() => {
    env = path.join(userApp(), '.env');
    host = path.join(userApp(), 'host-secret.js');
    beside = path.join(userApp(), 'plugins', 'beside.txt');
    writeFileSync(env, 'DB_PASSWORD=hunter2\n');
    writeFileSync(host, '// the host’s own source\n');
    writeFileSync(beside, 'beside the plugin\n');
  });
  afterEach(() => {
    for (const file of [env, host, beside]) rmSync(file, { force: true });
  });

  const reader = (sandbox: object) =>
    trackHost(new PluginHost({ logger: quiet })).add({
      name: 'reader',
      module: userPlugin('file-reader'),
      options: { args: [[env, host, beside]] },
      sandbox,
    });

  it("a plugin under plugins/ reads its own folder, not the app's .env or the host's sources", async () => {
    const plugins = reader({});
    await plugins.start();
    const [row] = await plugins.status();
    expect(row?.status).to.deep.equal({
      [env]: 'ERR_ACCESS_DENIED',
      [host]: 'ERR_ACCESS_DENIED',
      [beside]: 'beside the plugin\n',
    });
  });

  it('sandbox.readDefaults: false makes sandbox.read the whole list', async () => {
    const plugins = reader({ readDefaults: false, read: [env, path.join(userApp(), 'node_modules')] });
    await plugins.start();
    const [row] = await plugins.status();
    expect(row?.status).to.deep.equal({
      [env]: 'DB_PASSWORD=hunter2\n',
      [host]: 'ERR_ACCESS_DENIED',
      [beside]: 'ERR_ACCESS_DENIED',
    });
  });
});
