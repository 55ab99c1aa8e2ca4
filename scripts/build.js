// Builds dist/: the bundles, then the declarations of the public API.
//
// `node scripts/build.js` is the development build: with source maps, which
// coverage (c8) maps back to src/. `node scripts/build.js --release` is what
// `npm pack`, `npm publish` and a git install run (the `prepare` script): no
// source maps, which were 1.1 MB of the 1.6 MB package and point at sources
// the package does not ship.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { esmFacade } from './esm-facade.js';
import { keepPublicDeclarations } from './public-declarations.js';

const release = process.argv.includes('--release');
/** The library's one file, dist/jailthread.cjs. */
const LIBRARY = 'jailthread';
/** What Node gives a CommonJS module; worker-entry/code-cache.ts gives the same, under a symbol. */
const MODULE_SCOPE = 'exports, require, module, __filename, __dirname';
const dist = new URL('../dist/', import.meta.url);

// The library is one file: a thread's child loads it for its runtime and for
// the thread's own `import 'jailthread'`, and each further file costs a child
// ~0.2-0.5 ms (splitting made thirteen). What only a host needs is in it too,
// evaluated on first use (esbuild turns an internal import() into a lazy
// init); execa and node:child_process are imported dynamically
// (src/host/process-wide/host-modules.ts), as a static import would load them in every
// child. 'jailthread' is the package itself, which a spare imports by name.
//
// That file is CommonJS, with an ES facade (scripts/esm-facade.js): a child
// compiles it from V8's code cache (worker-entry/code-cache.ts), which only
// a script, not an ES module, can be given, and CommonJS requires Node's
// built-ins rather than importing them (an ES import of `node:util` or
// `node:fs` runs every lazy export behind it: on Node 22 and later
// worker_threads, util.diff, fs/promises and readline, ~2.5 ms of a start).
const common = {
  outdir: 'dist',
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['execa', 'jailthread'],
  sourcemap: !release,
  logLevel: 'warning',
};

const PLUGIN_ENTRIES = {
  'jails/log': 'src/jails/log/index.ts',
  'actions/command': 'src/actions/command.ts',
  'actions/file': 'src/actions/file.ts',
};
const libraryByName = {
  name: 'library-by-name',
  setup(build) {
    build.onResolve({ filter: /^(\.\.\/)+index\.js$/ }, () => ({ path: 'jailthread', external: true }));
  },
};

await rm(dist, { recursive: true, force: true });
await build({
  ...common,
  entryPoints: { [LIBRARY]: 'src/package-entry.ts' },
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
  define: { 'import.meta.url': '__moduleUrl' },
  // The file wraps itself as Node would: a child runs it as a script, whose
  // code offsets are then the file's own, as coverage and stack traces expect,
  // and hands it the module's names under a symbol, not as globals.
  banner: {
    js: `(function (${MODULE_SCOPE}) {\n"use strict";\nvar __moduleUrl = require("node:url").pathToFileURL(__filename).href;`,
  },
  footer: { js: `})(...(globalThis[Symbol.for("jailthread.module-scope")] ?? [${MODULE_SCOPE}]));` },
});
await writeFile(new URL('index.js', dist), esmFacade(dist, `${LIBRARY}.cjs`));
// The forked entry: it enables the compile cache and loads the file above.
// It names its code cache after the library's bytes (worker-entry/code-cache.ts).
const libraryHash = createHash('sha256')
  .update(await readFile(new URL(`${LIBRARY}.cjs`, dist)))
  .digest('hex')
  .slice(0, 16);
await build({
  ...common,
  entryPoints: { 'worker-entry': 'worker-entry/index.ts' },
  external: [],
  define: { LIBRARY_HASH: JSON.stringify(libraryHash) },
});
// The command runs in its own process, one per use: split, its chunks load
// only what a subcommand needs. (A split build would make a required
// built-in a default export only, so here they stay ES imports.)
await build({
  ...common,
  entryPoints: { cli: 'src/cli/bin.ts' },
  splitting: true,
  chunkNames: 'cli-[name]-[hash]',
});
await chmod(new URL('cli.js', dist), 0o755);
// The shipped plugins, each a package export: they import the library by name
// (what imports src/index.ts), so a plugin and its host share one copy of it.
await build({
  ...common,
  entryPoints: PLUGIN_ENTRIES,
  splitting: true,
  chunkNames: 'plugins/[name]-[hash]',
  plugins: [libraryByName],
});

// tsc type-checks every source (the CLI's too) and writes all declarations;
// only those the public entry reaches are kept.
// (typescript's package exports none of its files; devDependencies sit at the root.)
const tsc = fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url));
const checked = spawnSync(process.execPath, [tsc, '-p', fileURLToPath(new URL('../tsconfig.json', import.meta.url))], {
  stdio: 'inherit',
});
// tsc has printed the errors; a stack trace of this script would only bury them.
if (checked.status !== 0) process.exit(checked.status ?? 1);
await keepPublicDeclarations(
  new URL('types/src/index.d.ts', dist),
  ...Object.values(PLUGIN_ENTRIES).map((entry) => new URL(`types/${entry.replace(/\.ts$/, '.d.ts')}`, dist)),
);
