import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * Where a config's `module` or `contract` points: a file: URL as is; a path
 * (absolute, `./` or `../`, or naming a file that exists) resolved against
 * the config's folder; else a package specifier (`jailthread/jails/log`,
 * `some-plugin/jail`), resolved from the config's folder as Node resolves
 * it, through the package's `exports`. A specifier that resolves to no
 * package but ends in a module's extension (`plugins/jail.js`) is a path to
 * a file not there yet: the plugin's start reports it, as before.
 * @returns the absolute path, or a reason it does not resolve
 */
export function resolveModule(dir: string, where: string): { file: string } | { problem: string } {
  if (where.startsWith('file:')) return { file: where };
  const file = path.resolve(dir, where);
  if (path.isAbsolute(where) || /^\.\.?[\\/]/.test(where) || !isBareSpecifier(where) || existsSync(file)) {
    return { file };
  }
  try {
    return { file: createRequire(path.join(dir, 'jailthread.config')).resolve(where) };
  } catch (error) {
    if (/\.[cm]?[jt]s$/.test(where)) return { file };
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return {
      problem: `'${where}' is neither a file (${file}) nor a package that resolves from ${dir} (${reason}); install the package there, or write a path`,
    };
  }
}

// `@scope/name[/sub]` or `name[/sub]`, as npm names packages.
const isBareSpecifier = (where: string): boolean => /^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*(\/[\w.@-]+)*$/i.test(where);
