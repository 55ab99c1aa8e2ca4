import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import { freshApp, type Packed, packed, root, sh, tsc } from './packed-app.js';

// As a user gets the package: see test/packed-app.ts.
describe('the packed package in a fresh app', function () {
  this.timeout(120_000);
  let packedFiles: Packed['files'];
  let made: string;
  const app = () => made;

  before(async () => {
    packedFiles = (await packed()).files;
    made = await freshApp('app');
  });

  it('holds the built library, its licence and only the public declarations, without source maps', () => {
    const files = packedFiles.map((file) => file.path);
    expect(files).to.include.members([
      'LICENSE',
      'README.md',
      'CHANGELOG.md',
      'package.json',
      'dist/index.js',
      'dist/jailthread.cjs',
      'dist/cli.js',
      'dist/worker-entry.js',
      'dist/types/src/index.d.ts',
    ]);
    expect(files.filter((file) => file.endsWith('.map'))).to.deep.equal([]);
    expect(files.filter((file) => /^dist\/types\/(src\/cli|worker-entry)\//.test(file))).to.deep.equal([]);
    expect(files.filter((file) => /^dist\/types\/src\/(protocol|host\/controller)/.test(file))).to.deep.equal([]);
    // Nor the library's own seams: a thread's sides and the accessors the supervisor and Plugin use.
    expect(files.filter((file) => /^dist\/types\/src\/(side|host\/handle|child\/)/.test(file))).to.deep.equal([]);
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

  it('is one library to import and to require(): the ES entry is a facade over the CommonJS file', async () => {
    const script = [
      "const { createRequire } = await import('node:module');",
      "const required = createRequire(process.cwd() + '/')('jailthread');",
      "const imported = await import('jailthread');",
      "const names = (library) => Object.keys(library).filter((key) => key !== '__esModule').sort().join();",
      'console.log(required.JailThread === imported.JailThread, names(required) === names(imported));',
    ].join('\n');
    expect(await sh(app(), process.execPath, ['--input-type=module', '-e', script])).to.equal('true true\n');
  });

  it('installs the jailthread command, which prints the version', async () => {
    const { version } = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8'));
    expect(await sh(app(), path.join(app(), 'node_modules/.bin/jailthread'), ['--version'])).to.equal(`${version}\n`);
  });
});
