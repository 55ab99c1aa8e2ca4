import type * as ChildProcessModule from 'node:child_process';
import type { execaNode } from 'execa';
import { importModule } from '../../dynamic-import.js';

/** What only a host needs to fork: loaded with the first start or spare, not by the package's import. */
export interface HostModules {
  execaNode: typeof execaNode;
  spawn: typeof ChildProcessModule.spawn;
  ChildProcess: typeof ChildProcessModule.ChildProcess;
}

// Every thread's child imports the package (its module imports JailThread)
// and forks nothing: execa's ~40 files and node:child_process would be a
// third of its start. The bundle hoists a static import to the top of the
// package's one file, so these are imported dynamically.
let loaded: HostModules | undefined;
let loading: Promise<HostModules> | undefined;

/** Loads execa and node:child_process once; every way to fork awaits it first. */
export function loadHostModules(): Promise<HostModules> {
  loading ??= Promise.all([
    importModule<typeof import('execa')>('execa'),
    importModule<typeof ChildProcessModule>('node:child_process'),
  ]).then(([execa, childProcess]) => {
    loaded = { execaNode: execa.execaNode, spawn: childProcess.spawn, ChildProcess: childProcess.ChildProcess };
    return loaded;
  });
  return loading;
}

/** Whether loadHostModules() has resolved: a caller that must act synchronously when it has. */
export const hostModulesLoaded = (): boolean => loaded !== undefined;

/** The modules loadHostModules() loaded; a fork path that did not await it is the library's bug. */
export function hostModules(): HostModules {
  if (loaded === undefined) throw new Error('jailthread: a fork was attempted before loadHostModules() resolved.');
  return loaded;
}
