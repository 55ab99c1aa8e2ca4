// Plugins live where users put them: in a package of their own that depends
// on the library as npm installs it (packed, under node_modules), not inside
// the library's repository, where every path happens to be readable.
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { packed, sh, versionOf } from './packed-app.js';

const compiledPlugins = fileURLToPath(new URL('./fixtures/plugins', import.meta.url));

let app: string | undefined;

/** The user's application folder: package.json, node_modules/{jailthread,zod}, plugins/. */
export function userApp(): string {
  if (app === undefined) throw new Error("the user app is made by the suite's global setup (test/user-app.ts)");
  return app;
}

/** A plugin fixture, as copied into the user's application, as a file: URL. */
export const userPlugin = (name: string): URL => pathToFileURL(path.join(userApp(), 'plugins', `${name}.js`));

// The same tarball the package and docs tests install (packed once per run).
export async function mochaGlobalSetup(): Promise<void> {
  const { dir, tarball } = await packed();
  app = path.join(dir, 'user-app');
  mkdirSync(app);
  writeFileSync(
    path.join(app, 'package.json'),
    JSON.stringify({ name: 'user-app', version: '1.0.0', private: true, type: 'module' }),
  );
  const install = ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'];
  await sh(app, 'npm', [...install, tarball, `zod@${await versionOf('zod')}`]);
  const noMaps = (from: string) => !from.endsWith('.map');
  cpSync(compiledPlugins, path.join(app, 'plugins'), { recursive: true, filter: noMaps });
}

export function mochaGlobalTeardown(): void {
  if (app !== undefined) rmSync(app, { recursive: true, force: true });
}
