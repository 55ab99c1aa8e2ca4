import { createRequire } from 'node:module';

// The package is one file, and a thread's child loads it once: for its
// runtime and for the thread's own `import 'jailthread'` (each further file
// costs a child ~0.2-0.5 ms). The runtime starts here, as that file is
// evaluated, only in a process the worker entry marked: a host's import of
// the package does nothing, and of two copies of it in a child (a thread's
// module may resolve another) only the first evaluated takes the mark. The
// runtime is imported only then (the bundle evaluates an import() on first
// use): building its schemas would cost every import ~5 ms. No top-level
// await: CommonJS users require() the package.
const MARK = Symbol.for('jailthread.worker-entry');
const holder = globalThis as { [MARK]?: { spare: boolean; preload?: string } };

/**
 * Starts the child's runtime. A spare first imports the module it preloads,
 * or else resolves the package by name, as the thread's own module will when
 * it is adopted, then says it is ready.
 */
async function startChild(spare: boolean, preload: string | undefined): Promise<void> {
  let preloaded: { url: string; module: Record<string, unknown> } | undefined;
  if (preload !== undefined) {
    preloaded = { url: preload, module: await import(preload) };
  } else if (spare) {
    await import('jailthread');
    // Twice: V8 compiles the resolver's code and regular expressions further
    // on their second use (~0.5 ms of an adoption otherwise); the second,
    // through require's resolver, is not answered from the first's cache.
    try {
      createRequire(import.meta.url).resolve('jailthread');
    } catch {
      // A sandboxed spare: under the permission model require's resolver
      // does not find the package by name. It goes without.
    }
  }
  const { ChildRuntime } = await import('./runtime.js');
  new ChildRuntime(preloaded).listen(spare);
}

const mark = holder[MARK];
if (mark !== undefined) {
  delete holder[MARK];
  startChild(mark.spare, mark.preload).catch((error: unknown) => {
    process.stderr.write(`jailthread: the child could not start: ${String(error)}\n`);
    process.exitCode = 1;
  });
}
