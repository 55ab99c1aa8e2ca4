import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { ConfigError, jsonErrorOffset, lineAndColumn, loadConfig } from './cli-modules.js';

describe('cli config: loadConfig()', () => {
  let dir: string;
  const write = async (name: string, content: unknown) => {
    const file = path.join(dir, name);
    await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
    return file;
  };
  const problemsOf = async (content: unknown): Promise<string[]> => {
    const error = await loadConfig(await write('bad.json', content)).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ConfigError);
    expect((error as ConfigError).message).to.contain(path.join(dir, 'bad.json'));
    return [...(error as ConfigError).problems];
  };

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'jailthread-config-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('resolves the library’s paths against the config’s folder and leaves the plugin’s options as written', async () => {
    const file = await write('jails.json', {
      socket: 'run/control.sock',
      control: { maxConnections: 4, timeout: 500 },
      plugins: [
        {
          name: 'sshd',
          module: './filter.js',
          contract: './contract.js#jailContract',
          options: { sleeptime: 250, args: [{ logpath: './auth.log' }] },
          routes: { ban: 'recorder.ban' },
          restart: 'on-failure',
          backoff: { initial: 100, factor: 2, max: 15000, resetAfter: 30000 },
          health: { interval: 1000, timeout: 3000 },
          limits: { maxOldGenerationSizeMb: 64, maxRssMb: 200 },
          sandbox: { read: ['.'], write: ['./bans.log'], childProcess: false },
          env: { MODE: 'test' },
          envAllow: ['LANG'],
          cwd: 'work',
        },
        { name: 'recorder', module: 'file:///opt/recorder.js', contract: 'c.js', health: false, sandbox: false },
      ],
    });
    const config = await loadConfig(file);
    const [sshd, recorder] = config.plugins;
    expect(config.file).to.equal(file);
    expect(config.socket).to.equal(path.join(dir, 'run/control.sock'));
    expect(config.control).to.deep.equal({ maxConnections: 4, timeout: 500 });
    expect(sshd).to.deep.include({
      module: path.join(dir, 'filter.js'),
      contract: { module: path.join(dir, 'contract.js'), export: 'jailContract' },
      options: { sleeptime: 250, args: [{ logpath: './auth.log' }] },
      routes: { ban: { plugin: 'recorder', method: 'ban' } },
      sandbox: { read: [dir], write: [path.join(dir, 'bans.log')], childProcess: false },
      cwd: path.join(dir, 'work'),
    });
    expect(recorder).to.deep.include({
      module: 'file:///opt/recorder.js',
      contract: { module: path.join(dir, 'c.js'), export: 'default' },
      health: false,
      sandbox: false,
      // Without a cwd of its own, a plugin runs in the config's folder: its own relative paths resolve there.
      cwd: dir,
    });
  });

  it('lists every schema problem with its field path, what was wrong and the fix', async () => {
    const problems = await problemsOf({
      control: { maxConnections: 0, timeout: 1.5 },
      plugins: [
        { name: 'sshd', module: './f.js', restart: 'sometimes', foo: 1, options: { sleeptime: '250' } },
        { name: 'web', module: 3, backoff: { max: -1 }, health: 5 },
      ],
    });
    expect(problems).to.include.members([
      `plugins[0].restart: must be one of "always", "on-failure", "never" (got "sometimes")`,
      'plugins[0].options.sleeptime: expected a number, got a string ("250"); change it to a number',
      'plugins[1].module: expected a string, got a number (3); change it to a string',
      'plugins[1].backoff.max: must be a whole number, 0 or more (got -1)',
      'plugins[1].health: expected false or an object, got a number (5)',
      'control.maxConnections: must be a whole number above 0 (got 0)',
    ]);
    expect(problems.find((p) => p.startsWith('control.timeout'))).to.match(/whole number/);
    const unknown = problems.find((p) => p.startsWith('plugins[0]: unknown key'));
    expect(unknown).to.match(/'foo'; remove or correct it \(allowed: name, module, export, contract, options, routes/);
  });

  it('refuses unknown keys at the top and in nested objects, listing the allowed ones', async () => {
    const problems = await problemsOf({
      sockt: 'x',
      plugins: [{ name: 'a', module: 'a.js', sandbox: { reads: [] } }],
    });
    expect(problems).to.include(
      "(top level): unknown key 'sockt'; remove or correct it (allowed: socket, control, exitOnErrored, plugins)",
    );
    expect(problems).to.include(
      "plugins[0].sandbox: unknown key 'reads'; remove or correct it (allowed: read, write, childProcess, worker, addons, net, readDefaults)",
    );
  });

  it('requires plugins and their name and module', async () => {
    expect(await problemsOf({})).to.deep.equal(['plugins: is required; add it (an array)']);
    expect(await problemsOf({ plugins: [] })).to.deep.equal(['plugins: must list at least one plugin (got [])']);
    expect(await problemsOf({ plugins: [{ name: 'a' }] })).to.deep.equal([
      'plugins[0].module: is required; add it (a string)',
    ]);
    expect((await problemsOf({ plugins: [{ name: 'two words', module: 'a.js' }] }))[0]).to.match(
      /^plugins\[0\]\.name: must be letters, digits/,
    );
  });

  it('refuses duplicate names and routes that do not reach a plugin of the config', async () => {
    const problems = await problemsOf({
      plugins: [
        { name: 'sshd', module: 'a.js', routes: { ban: 'recorder.ban', log: 'nodot', 'bad name': 'sshd.x' } },
        { name: 'sshd', module: 'b.js' },
      ],
    });
    expect(problems).to.deep.equal([
      "plugins[1].name: 'sshd' is already the name of plugins[0]; give each plugin its own name",
      "plugins[0].routes.ban: 'recorder.ban' names no plugin of this config; use one of: sshd",
      "plugins[0].routes.log: 'nodot' must have the form 'plugin.method', e.g. 'recorder.ban'",
      `plugins[0].routes["bad name"]: 'bad name' is not a usable host function name; use letters, digits, '_' or '$'`,
    ]);
  });

  it('reports a JSON syntax error with its line and column, also where V8 gives no position', async () => {
    const problems = await problemsOf('{\n  "plugins": [\n    { "name": "a", }\n  ]\n}');
    expect(problems).to.have.length(1);
    const [trailing] = problems;
    expect(trailing).to.match(/^JSON syntax error at line 3, column 20: .*; fix it there \(JSON allows no comments/);
    const [token] = await problemsOf('{\n  "plugins": [1,,2]\n}');
    expect(token).to.match(/^JSON syntax error at line 2, column 17: Unexpected token/);
  });

  it('names a missing file and a folder, with the fix', async () => {
    const missing = path.join(dir, 'nope.json');
    const error = (await loadConfig(missing).catch((e: unknown) => e)) as ConfigError;
    expect(error.message).to.equal(`config ${missing}: no such file (resolved to ${missing}); check the path`);
    const folder = (await loadConfig(dir).catch((e: unknown) => e)) as ConfigError;
    expect(folder.message).to.equal(`config ${dir}: is a folder; pass the JSON config file inside it`);
  });
});

describe('cli config: jsonErrorOffset()', () => {
  it('finds the first character that cannot continue the JSON text', () => {
    const cases: [string, number | undefined][] = [
      ['{"a": [1, 2, {"b": null}], "c": "x\\u00e9"}', undefined],
      ['{"a":}', 5],
      ['[1,2,,3]', 5],
      ['{"a":tru}', 8],
      ['{"a":1} x', 8],
      ['', 0],
      ['"\\q"', 2],
      ['-01', 2],
    ];
    for (const [text, offset] of cases) expect(jsonErrorOffset(text), text).to.equal(offset);
    expect(lineAndColumn('ab\ncd', 4)).to.deep.equal({ line: 2, column: 2 });
  });
});
