// Builds dist/: the bundles, then the declarations of the public API.
//
// `node scripts/build.js` is the development build: with source maps, which
// coverage (c8) maps back to src/. `node scripts/build.js --release` is what
// `npm pack`, `npm publish` and a git install run (the `prepare` script): no
// source maps, which were 1.1 MB of the 1.6 MB package and point at sources
// the package does not ship.
import { spawnSync } from 'node:child_process';
import { chmod, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { keepPublicDeclarations } from './public-declarations.js';

const release = process.argv.includes('--release');
const dist = new URL('../dist/', import.meta.url);

// Bundles the library so the child's start-up imports a few files instead of
// zod's module graph (about 60 ms per child unbundled, a few ms bundled).
// Splitting keeps one copy of each shared module: the worker entry and a
// user's `import 'jailthread'` in the child meet the same JailThread class.
const common = {
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // execa stays a dependency; 'jailthread' is the package itself, which the
  // worker entry imports by name to warm a spare.
  external: ['execa', 'jailthread'],
  sourcemap: !release,
  logLevel: 'warning',
};

await rm(dist, { recursive: true, force: true });
// The command is built on its own: as a third entry it would split the
// modules the child loads into more, smaller chunks (each import costs a
// child ~0.4 ms). It gets its own copy of the host side, in its own chunks.
await build({
  ...common,
  entryPoints: { index: 'src/index.ts', 'worker-entry': 'worker-entry/index.ts' },
  chunkNames: '[name]-[hash]',
});
await build({ ...common, entryPoints: { cli: 'src/cli/bin.ts' }, chunkNames: 'cli-[name]-[hash]' });
await chmod(new URL('cli.js', dist), 0o755);

// tsc type-checks every source (the CLI's too) and writes all declarations;
// only those the public entry reaches are kept.
// (typescript's package exports none of its files; devDependencies sit at the root.)
const tsc = fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url));
const checked = spawnSync(process.execPath, [tsc, '-p', fileURLToPath(new URL('../tsconfig.json', import.meta.url))], {
  stdio: 'inherit',
});
// tsc has printed the errors; a stack trace of this script would only bury them.
if (checked.status !== 0) process.exit(checked.status ?? 1);
await keepPublicDeclarations(new URL('types/src/index.d.ts', dist));
