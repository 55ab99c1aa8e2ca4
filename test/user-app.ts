// Plugins live where users put them: in a package of their own that depends
// on the library as npm installs it (packed, under node_modules), not inside
// the library's repository, where every path happens to be readable.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { execa } from 'execa';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const compiledPlugins = fileURLToPath(new URL('./fixtures/plugins', import.meta.url));
const compiledExample = fileURLToPath(new URL('../examples/fail2ban', import.meta.url));

let app: string | undefined;

/** The user's application folder: package.json, node_modules/{jailthread,zod}, plugins/, fail2ban/. */
export function userApp(): string {
  if (app === undefined) throw new Error("the user app is made by the suite's global setup (test/user-app.ts)");
  return app;
}

/** A plugin fixture, as copied into the user's application, as a file: URL. */
export const userPlugin = (name: string): URL => pathToFileURL(path.join(userApp(), 'plugins', `${name}.js`));

const versionOf = (name: string): string =>
  (JSON.parse(readFileSync(path.join(repo, 'node_modules', name, 'package.json'), 'utf8')) as { version: string })
    .version;

export async function mochaGlobalSetup(): Promise<void> {
  app = mkdtempSync(path.join(tmpdir(), 'jailthread-user-app-'));
  // Scripts off: the package is already built, and a prepack build here
  // would rebuild dist/ under the running suite.
  const { stdout } = await execa('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', app], {
    cwd: repo,
  });
  const [{ filename }] = JSON.parse(stdout) as [{ filename: string }];
  writeFileSync(
    path.join(app, 'package.json'),
    JSON.stringify({ name: 'user-app', version: '1.0.0', private: true, type: 'module' }),
  );
  await execa(
    'npm',
    [
      'install',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      `./${filename}`,
      `zod@${versionOf('zod')}`,
    ],
    { cwd: app },
  );
  const noMaps = (from: string) => !from.endsWith('.map');
  mkdirSync(path.join(app, 'plugins'));
  cpSync(compiledPlugins, path.join(app, 'plugins'), { recursive: true, filter: noMaps });
  cpSync(compiledExample, path.join(app, 'fail2ban'), { recursive: true, filter: noMaps });
}

export function mochaGlobalTeardown(): void {
  if (app !== undefined) rmSync(app, { recursive: true, force: true });
}
