// A config's `module` and `contract` as package specifiers, resolved from the config's folder.
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { ConfigError, loadConfig } from './cli-modules.js';
import { userApp } from './user-app.js';

describe('cli config: package specifiers in module and contract', () => {
  let dir: string;
  const configWith = (plugin: object): string => {
    const file = path.join(dir, 'jails.json');
    writeFileSync(file, JSON.stringify({ plugins: [{ name: 'sshd', ...plugin }] }));
    return file;
  };

  beforeEach(() => {
    // In the user's package, whose node_modules holds the packed jailthread.
    dir = mkdtempSync(path.join(userApp(), 'specifiers-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('resolves "jailthread/jails/log" and "pkg#export" through the installed package’s exports', async () => {
    const config = await loadConfig(
      configWith({ module: 'jailthread/jails/log', contract: 'jailthread/jails/log#jailContract' }),
    );
    const installed = path.join(userApp(), 'node_modules/jailthread/dist/jails/log.js');
    expect(realpathSync(config.plugins[0]?.module as string)).to.equal(realpathSync(installed));
    expect(config.plugins[0]?.contract?.export).to.equal('jailContract');
    expect(realpathSync(config.plugins[0]?.contract?.module as string)).to.equal(realpathSync(installed));
  });

  it('names the field when a specifier resolves to no file and no package', async () => {
    const error = await loadConfig(configWith({ module: 'no-such-plugin/jail' })).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ConfigError);
    expect((error as ConfigError).problems).to.have.length(1);
    expect((error as ConfigError).problems[0]).to.match(
      /^plugins\[0\]\.module: 'no-such-plugin\/jail' is neither a file \(.*\) nor a package that resolves from .*; install the package there, or write a path$/,
    );
  });

  it('keeps a path to a module file that is not there yet as a path, for the plugin’s start to report', async () => {
    const config = await loadConfig(configWith({ module: 'plugins/later.js' }));
    expect(config.plugins[0]?.module).to.equal(path.join(dir, 'plugins/later.js'));
  });
});
