// The thread's module where users keep it: in an app of their own, with the
// library installed under its node_modules (here through a symlink, as npm
// link, workspaces and pnpm have it), not inside the library's own package,
// whose import of 'jailthread' resolves by self-reference, a shorter way.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
let app;

/** The URL of bench/fixtures/NAME copied into the app, made once per process and removed at its exit. */
export function inUserApp(name) {
  if (app === undefined) {
    app = mkdtempSync(path.join(tmpdir(), 'jailthread-bench-app-'));
    process.once('exit', () => rmSync(app, { recursive: true, force: true }));
    mkdirSync(path.join(app, 'node_modules'));
    symlinkSync(root, path.join(app, 'node_modules', 'jailthread'), 'dir');
    writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'bench-app', type: 'module', private: true }));
  }
  const file = path.join(app, name);
  copyFileSync(fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url)), file);
  return pathToFileURL(file).href;
}
