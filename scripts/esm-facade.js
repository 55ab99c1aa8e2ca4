// dist/index.js, the package's ES entry: a facade over the CommonJS file the
// library is built into, so that an `import 'jailthread'` and a
// `require('jailthread')` in one process meet the same classes, and a
// thread's child, which loads that file with its code cache
// (worker-entry/index.ts), finds it already evaluated. Its names are listed,
// not left to Node's guess from the CommonJS source, which would cost every
// child a lexing pass over the whole library.
import { createRequire } from 'node:module';

/** The facade's source, for the CommonJS file `name` in `dist`. */
export function esmFacade(dist, name) {
  const exported = Object.keys(createRequire(dist)(`./${name}`)).filter((key) => key !== '__esModule');
  const names = exported.sort().join(',\n  ');
  return `import { createRequire } from 'node:module';\n\nconst library = createRequire(import.meta.url)('./${name}');\nexport const {\n  ${names},\n} = library;\n`;
}
