import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { ChildRuntime } from './runtime.js';

// The package is one file, and a thread's child loads it once: for its
// runtime and for the thread's own `import 'jailthread'` (each further file
// costs a child ~0.2-0.5 ms). The runtime starts here, as that file is
// evaluated, only in the process whose main module is the worker entry
// beside it: a host's import of the package, or another copy of it, does
// nothing.
const ENTRY = new URL('./worker-entry.js', import.meta.url).href;

if (process.argv[1] !== undefined && pathToFileURL(process.argv[1]).href === ENTRY) {
  if (process.argv[2] === undefined) {
    // A spare resolves the package by name now, as the thread's own module
    // will when it is adopted, and only then says it is ready. Twice: V8
    // compiles the resolver's code and regular expressions further on their
    // second use (~0.5 ms of an adoption otherwise); the second, through
    // require's resolver, is not answered from the first's cache.
    import('jailthread').then(
      () => {
        try {
          createRequire(import.meta.url).resolve('jailthread');
        } catch {
          // A sandboxed spare: under the permission model require's resolver
          // does not find the package by name. It goes without.
        }
        new ChildRuntime().listen(true);
      },
      (error: unknown) => {
        process.stderr.write(`jailthread: a spare could not import the package by name: ${String(error)}\n`);
        process.exitCode = 1;
      },
    );
  } else {
    new ChildRuntime().listen(false);
  }
}
