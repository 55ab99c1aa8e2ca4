import { createRequire } from 'node:module';
import { type Importer, importModule, useImporter } from '../dynamic-import.js';

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

/** What the worker entry (worker-entry/index.ts) leaves for the library it loads. */
export interface EntryMark {
  /** A spare, adopted later by a thread. */
  spare: boolean;
  /** The URL of the thread's module a spare imports before it is ready. */
  preload?: string;
  /** import() as the entry, an ES module, has it. */
  importer: Importer;
  /** Keeps the library's compiled code for the next start, once the start has run it; absent when there is none to keep. */
  keepCode?: () => void;
}

const holder = globalThis as { [MARK]?: EntryMark };

/**
 * Starts the child's runtime. A spare first imports the module it preloads,
 * or else resolves the package by name, as the thread's own module will when
 * it is adopted, then says it is ready.
 */
async function startChild({ spare, preload, keepCode }: EntryMark): Promise<void> {
  let preloaded: { url: string; module: Record<string, unknown> } | undefined;
  if (preload !== undefined) {
    preloaded = { url: preload, module: await importModule(preload) };
  } else if (spare) {
    await importModule('jailthread');
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
  new ChildRuntime(preloaded, keepCode).listen(spare);
}

const mark = holder[MARK];
if (mark !== undefined) {
  delete holder[MARK];
  useImporter(mark.importer);
  startChild(mark).catch((error: unknown) => {
    process.stderr.write(`jailthread: the child could not start: ${String(error)}\n`);
    process.exitCode = 1;
  });
}
