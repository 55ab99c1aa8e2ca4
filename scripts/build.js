// Bundles the library so the child's start-up imports a few files instead of
// zod's module graph (about 60 ms per child unbundled, a few ms bundled).
// Splitting keeps one copy of each shared module: the worker entry and a
// user's `import 'jailthread'` in the child meet the same JailThread class.
import { chmod, rm } from 'node:fs/promises';
import { build } from 'esbuild';

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
  sourcemap: true,
  logLevel: 'warning',
};

await rm(new URL('../dist', import.meta.url), { recursive: true, force: true });
// The command is built on its own: as a third entry it would split the
// modules the child loads into more, smaller chunks (each import costs a
// child ~0.4 ms). It gets its own copy of the host side, in its own chunks.
await build({
  ...common,
  entryPoints: { index: 'src/index.ts', 'worker-entry': 'worker-entry/index.ts' },
  chunkNames: '[name]-[hash]',
});
await build({ ...common, entryPoints: { cli: 'src/cli/bin.ts' }, chunkNames: 'cli-[name]-[hash]' });
await chmod(new URL('../dist/cli.js', import.meta.url), 0o755);
