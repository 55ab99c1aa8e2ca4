// Bundles the library so the child's start-up imports a few files instead of
// zod's module graph (about 60 ms per child unbundled, a few ms bundled).
// Splitting keeps one copy of each shared module: the worker entry and a
// user's `import 'jailthread'` in the child meet the same JailThread class.
import { chmod, rm } from 'node:fs/promises';
import { build } from 'esbuild';

await rm(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: { index: 'src/index.ts', 'worker-entry': 'worker-entry/index.ts', cli: 'src/cli/bin.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // execa stays a dependency; 'jailthread' is the package itself, which the
  // worker entry imports by name to warm a spare.
  external: ['execa', 'jailthread'],
  chunkNames: '[name]-[hash]',
  sourcemap: true,
  logLevel: 'warning',
});
await chmod(new URL('../dist/cli.js', import.meta.url), 0o755);
