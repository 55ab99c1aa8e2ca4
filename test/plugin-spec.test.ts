import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'chai';
import { defineContract, JailThread, PluginHost, type PluginSpec } from 'jailthread';
import * as z from 'zod';
import { calcContract } from './fixtures/plugins/calc-contract.js';
import { fixture, quiet, trackHost } from './helpers.js';

const MODULE = '/srv/plugins/x.js';
const refused = (spec: object) => () => new PluginHost().add(spec as PluginSpec);

describe('plugin specs: every field known, every path absolute', () => {
  it('an unknown field, at the top or inside limits, backoff, health or sandbox, is refused with the valid ones', () => {
    expect(refused({ name: 'a', module: MODULE, limits: { maxRss: 100 } })).to.throw(
      TypeError,
      'PluginHost.add({ limits.maxRss }) of plugin "a": is not a setting of limits; the settings are maxOldGenerationSizeMb, maxRssMb, maxHeldMb.',
    );
    expect(refused({ name: 'a', module: MODULE, sandobx: {} })).to.throw(
      TypeError,
      /\{ sandobx \}.*not a plugin setting; the settings are name, module, export, .*, spares\.$/,
    );
    expect(refused({ name: 'a', module: MODULE, backoff: { inital: 1 } })).to.throw(
      /\{ backoff.inital \}.*the settings are initial, factor, max, resetAfter/,
    );
    expect(refused({ name: 'a', module: MODULE, health: { intervall: 1 } })).to.throw(
      /\{ health.intervall \}.*the settings are interval, timeout/,
    );
    expect(refused({ name: 'a', module: MODULE, sandbox: { writes: [] } })).to.throw(
      /\{ sandbox.writes \}.*read, write, childProcess, worker, addons, net/,
    );
  });

  it('a contract with host functions needs a serve function for each, at add()', () => {
    expect(refused({ name: 'a', module: MODULE, contract: calcContract })).to.throw(
      TypeError,
      'PluginHost.add({ serve }) of plugin "a": has no function for lookup of contract.host; add one for each.',
    );
    const two = defineContract({
      host: { one: { input: z.void(), output: z.void() }, two: { input: z.void(), output: z.void() } },
    });
    expect(refused({ name: 'a', module: MODULE, contract: two, serve: { one: () => {} } })).to.throw(
      /\{ serve \}.*no function for two of contract.host/,
    );
    expect(() =>
      new PluginHost().add({ name: 'a', module: MODULE, contract: two, serve: { one: () => {}, two: () => {} } }),
    ).not.to.throw();
  });

  it('a relative module, cwd or sandbox path is refused with the absolute form to write instead', () => {
    expect(refused({ name: 'a', module: './plugins/scanner.js' })).to.throw(
      TypeError,
      "PluginHost.add({ module }) of plugin \"a\": './plugins/scanner.js' is a relative path, which would depend on the host's current directory; use new URL('./plugins/scanner.js', import.meta.url) for a file beside the calling module, or an absolute path.",
    );
    expect(refused({ name: 'a', module: 'scanner.js' })).to.throw(/new URL\('\.\/scanner\.js', import\.meta\.url\)/);
    expect(refused({ name: 'a', module: MODULE, sandbox: { read: ['/etc/app', './data'] } })).to.throw(
      /\{ sandbox.read\[1\] \}.*'\.\/data' is a relative path.*path\.join\(import\.meta\.dirname, '\.\/data'\)/,
    );
    expect(refused({ name: 'a', module: MODULE, sandbox: { write: ['bans.log'] } })).to.throw(
      /\{ sandbox.write\[0\] \}.*'bans.log' is a relative path/,
    );
    expect(refused({ name: 'a', module: MODULE, cwd: 'work' })).to.throw(/\{ cwd \}.*'work' is a relative path/);
    expect(() => JailThread.fromModule('./jails/ticker.js')).to.throw(
      TypeError,
      "JailThread.fromModule(url): './jails/ticker.js' is a relative path, which would depend on the host's current directory; pass new URL('./jails/ticker.js', import.meta.url) for a file beside the calling module, or an absolute path.",
    );
    expect(() => JailThread.fromModule('/srv/jails/ticker.js')).not.to.throw();
    expect(() => JailThread.fromModule(new URL('file:///srv/jails/ticker.js'))).not.to.throw();
    expect(() => JailThread.fromModule('file:///srv/jails/ticker.js')).not.to.throw();
  });

  it('cwd as a file: URL is where the plugin runs', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'jailthread-cwd-'));
    try {
      const host = trackHost(new PluginHost({ logger: quiet })).add({
        name: 'echo',
        module: fixture('options-echo'),
        cwd: pathToFileURL(dir),
        sandbox: false,
        health: false,
      });
      await host.start();
      const [row] = await host.status();
      expect(row?.status).to.deep.include({ cwd: dir });
      await host.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
