import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

// The package is one file, and a thread's child loads it once: for its
// runtime and for the thread's own `import 'jailthread'` (each further file
// costs a child ~0.2-0.5 ms). The runtime starts here, as that file is
// evaluated, only in the process whose main module is the worker entry
// beside it: a host's import of the package, or another copy of it, does
// nothing. The runtime is imported only then (the bundle evaluates an
// import() on first use): building its schemas would cost every import ~5 ms.
// No top-level await: CommonJS users require() the package.
const ENTRY = new URL('./worker-entry.js', import.meta.url).href;

/**
 * Starts the child's runtime. A spare first resolves the package by name, as
 * the thread's own module will when it is adopted, then says it is ready.
 */
async function startChild(spare: boolean): Promise<void> {
  if (spare) {
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
  new ChildRuntime().listen(spare);
}

if (process.argv[1] !== undefined && pathToFileURL(process.argv[1]).href === ENTRY) {
  // No module URL in argv: a spare (JailThread.prewarm()).
  startChild(process.argv[2] === undefined).catch((error: unknown) => {
    process.stderr.write(`jailthread: the child could not start: ${String(error)}\n`);
    process.exitCode = 1;
  });
}
