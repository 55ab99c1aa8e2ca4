import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'chai';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
const versionOf = async (name: string): Promise<string> =>
  JSON.parse(await readFile(path.join(root, 'node_modules', name, 'package.json'), 'utf8')).version;

// Without coverage of npm, esbuild and tsc when the suite runs under c8.
const { NODE_V8_COVERAGE: _, ...env } = process.env;

/** Runs a command; on failure the error carries its whole output, so the test's message shows it. */
async function sh(cwd: string, file: string, args: string[]): Promise<string> {
  try {
    return (await run(file, args, { cwd, env, maxBuffer: 16 * 2 ** 20 })).stdout;
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${file} ${args.join(' ')} failed in ${cwd}:\n${stdout ?? ''}${stderr ?? ''}`);
  }
}

interface Packed {
  filename: string;
  files: { path: string }[];
}

// As a user gets the package: packed from what a clone holds (so `prepare`
// must build dist/), installed into an app made by `npm init` with zod and
// @types/node, and compiled with the settings `tsc --init` writes. Installs
// come from the npm cache, at the versions this repository uses.
describe('the packed package in a fresh app', function () {
  this.timeout(120_000);
  let dir: string;
  let packed: Packed;
  const app = () => path.join(dir, 'app');

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'jailthread-package-'));
    const clone = path.join(dir, 'clone');
    const listed = await sh(root, 'git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard']);
    for (const file of listed.split('\0').filter(Boolean)) {
      // A file deleted in the work tree is still listed by --cached.
      await cp(path.join(root, file), path.join(clone, file)).catch(() => undefined);
    }
    await symlink(path.join(root, 'node_modules'), path.join(clone, 'node_modules'));
    const json = await sh(clone, 'npm', ['pack', '--json', '--pack-destination', dir, '--foreground-scripts=false']);
    [packed] = JSON.parse(json.slice(json.indexOf('['))) as [Packed];

    await mkdir(app());
    await sh(app(), 'npm', ['init', '-y']);
    await sh(app(), 'npm', ['pkg', 'set', 'type=module']);
    const deps = [`zod@${await versionOf('zod')}`, `@types/node@${await versionOf('@types/node')}`];
    await sh(app(), 'npm', [
      'install',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      path.join(dir, packed.filename),
      ...deps,
    ]);
    await sh(app(), process.execPath, [tsc, '--init']);
  });

  after(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('holds the built library, its licence and only the public declarations, without source maps', () => {
    const files = packed.files.map((file) => file.path);
    expect(files).to.include.members([
      'LICENSE',
      'README.md',
      'CHANGELOG.md',
      'package.json',
      'dist/index.js',
      'dist/cli.js',
      'dist/worker-entry.js',
      'dist/types/src/index.d.ts',
    ]);
    expect(files.filter((file) => file.endsWith('.map'))).to.deep.equal([]);
    expect(files.filter((file) => /^dist\/types\/(src\/cli|worker-entry)\//.test(file))).to.deep.equal([]);
    expect(files.filter((file) => /^dist\/types\/src\/(protocol|host\/controller)/.test(file))).to.deep.equal([]);
  });

  it('compiles against it with tsc --init\'s settings ("types": []): events and the type tests', async () => {
    const tsconfig = await readFile(path.join(app(), 'tsconfig.json'), 'utf8');
    expect(tsconfig, 'tsc --init loads no global types').to.match(/^\s*"types": \[\],/m);
    const types = path.join(root, 'test/types');
    const tests = (await readdir(types)).filter((file) => file.endsWith('.ts'));
    expect(tests).to.include.members(['events.ts', 'plugin-host.ts']);
    for (const file of tests) await cp(path.join(types, file), path.join(app(), file));
    await writeFile(
      path.join(app(), 'main.ts'),
      [
        "import { JailThread, PluginHost } from 'jailthread';",
        'const host = new PluginHost();',
        "host.on('crash', ({ plugin }) => console.log(plugin));",
        'const thread = new JailThread();',
        "thread.on('exit', (code) => console.log(code));",
        '',
      ].join('\n'),
    );
    await sh(app(), process.execPath, [tsc, '--noEmit', '-p', '.']);
    // The declarations themselves, checked too: nothing stripped that another still names.
    await sh(app(), process.execPath, [tsc, '--noEmit', '-p', '.', '--skipLibCheck', 'false']);
  });

  it("its declarations import nothing but each other and Node's modules (zod is bundled, not a dependency)", async () => {
    const types = path.join(app(), 'node_modules/jailthread/dist/types');
    const files = (await readdir(types, { recursive: true })).filter((file) => file.endsWith('.d.ts'));
    const bare = [];
    for (const file of files) {
      const text = await readFile(path.join(types, file), 'utf8');
      for (const [, specifier] of text.matchAll(/\bfrom\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]/g)) {
        if (specifier !== undefined && !specifier.startsWith('.') && !specifier.startsWith('node:')) {
          bare.push(`${file}: ${specifier}`);
        }
      }
    }
    expect(bare).to.deep.equal([]);
  });

  it('installs the jailthread command, which prints the version', async () => {
    const { version } = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8'));
    expect(await sh(app(), path.join(app(), 'node_modules/.bin/jailthread'), ['--version'])).to.equal(`${version}\n`);
  });
});
