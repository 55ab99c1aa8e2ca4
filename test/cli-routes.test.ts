import { lstat, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { cli } from './cli-fakes.js';
import { buildSpecs, type ConfigError, loadConfig } from './cli-modules.js';
import { fixture } from './helpers.js';
import { userApp } from './user-app.js';

// host: lookup; plugin: add, lie, fail, hang, quit, spin, ask, askWrongly, missing.
const CALC = `${fileURLToPath(fixture('plugins/calc-contract'))}#calcContract`;
const noCalls = { call: async () => undefined };

describe('cli config: routes checked against the contracts at load', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'jailthread-routes-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const problemsOf = async (plugins: object[]): Promise<string[]> => {
    const file = path.join(dir, 'jails.json');
    await writeFile(file, JSON.stringify({ plugins }));
    const error = await buildSpecs(await loadConfig(file), noCalls).catch((e: unknown) => e);
    expect(error).to.have.property('name', 'ConfigError');
    return [...(error as ConfigError).problems];
  };

  it('a route to a method the target plugin does not have is refused, with the methods it has', async () => {
    const problems = await problemsOf([
      { name: 'calc', module: 'calc.js', contract: CALC, routes: { lookup: 'other.explode' } },
      { name: 'other', module: 'other.js', contract: CALC, routes: { lookup: 'calc.ask' } },
      { name: 'bare', module: 'bare.js' },
    ]);
    expect(problems).to.deep.equal([
      "plugins[0].routes.lookup: 'other.explode' is not a method of plugin 'other' (its contract.plugin has: add, lie, fail, hang, quit, spin, ask, askWrongly, missing); route to one of its methods",
    ]);
    const [bare] = await problemsOf([
      { name: 'calc', module: 'calc.js', contract: CALC, routes: { lookup: 'bare.add' } },
      { name: 'bare', module: 'bare.js' },
    ]);
    expect(bare).to.equal(
      "plugins[0].routes.lookup: 'bare.add' is not a method of plugin 'bare' (plugins[1] has no contract); route to one of its methods",
    );
  });

  it("a route key that is not a host function of the plugin's contract is refused under its own name", async () => {
    const problems = await problemsOf([
      { name: 'calc', module: 'calc.js', contract: CALC, routes: { lookup: 'other.ask', bogus: 'other.ask' } },
      { name: 'other', module: 'other.js', contract: CALC, routes: { ban: 'calc.add' } },
    ]);
    expect(problems).to.deep.equal([
      "plugins[0].routes.bogus: 'bogus' is not a host function of this plugin's contract (its contract.host has: lookup); route only those",
      "plugins[1].routes.ban: 'ban' is not a host function of this plugin's contract (its contract.host has: lookup); route only those",
      'plugins[1].routes: no route for lookup of its contract.host; add "lookup": "plugin.method"',
    ]);
    const [none] = await problemsOf([{ name: 'bare', module: 'bare.js', routes: { ban: 'bare.ban' } }]);
    expect(none).to.equal(
      "plugins[0].routes.ban: 'ban' is not a host function of this plugin's contract (this plugin has no contract); route only those",
    );
  });

  it('routes that match both contracts become serve functions that call the target', async () => {
    const file = path.join(dir, 'jails.json');
    await writeFile(
      file,
      JSON.stringify({
        plugins: [
          { name: 'calc', module: 'calc.js', contract: CALC, routes: { lookup: 'other.ask' } },
          { name: 'other', module: 'other.js', contract: CALC, routes: { lookup: 'calc.ask' } },
        ],
      }),
    );
    const calls: unknown[][] = [];
    const specs = await buildSpecs(await loadConfig(file), {
      call: async (...args: unknown[]) => calls.push(args),
    } as never);
    type Serve = (input: unknown, context: { plugin: string; signal: AbortSignal }) => Promise<unknown>;
    const serve = (specs[0]?.serve ?? {}) as Record<string, Serve>;
    expect(Object.keys(serve)).to.deep.equal(['lookup']);
    // The caller's signal goes on to the target: a call the plugin aborts is cancelled there too.
    const { signal } = new AbortController();
    await serve.lookup?.({ key: 'k' }, { plugin: 'calc', signal });
    expect(calls).to.deep.equal([['other', 'ask', { key: 'k' }, { signal }]]);
  });

  it("jailthread run refuses a route to a method the target's contract lacks, before it starts anything", async () => {
    const shipped = path.join(userApp(), 'node_modules/jailthread/dist');
    const action = path.join(shipped, 'actions/file.js');
    const jail = path.join(shipped, 'jails/log.js');
    const config = path.join(dir, 'jails.json');
    const socket = path.join(dir, 'control.sock');
    await writeFile(
      config,
      JSON.stringify({
        plugins: [
          { name: 'recorder', module: action, contract: `${action}#actionContract` },
          {
            name: 'sshd',
            module: jail,
            contract: `${jail}#jailContract`,
            routes: { ban: 'recorder.explode', unban: 'recorder.unban' },
          },
        ],
      }),
    );
    const result = await cli(['run', config, '--socket', socket]);
    expect(result).to.deep.equal({
      code: 2,
      stdout: '',
      stderr: `jailthread run: config ${config}: plugins[1].routes.ban: 'recorder.explode' is not a method of plugin 'recorder' (its contract.plugin has: ban, unban); route to one of its methods\n`,
    });
    expect(await lstat(socket).catch(() => undefined)).to.equal(undefined);
  });
});
