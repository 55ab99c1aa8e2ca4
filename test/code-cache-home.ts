import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { JailThread } from 'jailthread';
import { fixture, track } from './helpers.js';

// What the code cache's tests share: a cache home of their own per test.

/**
 * A thread whose child's cache home is `home`, run to its first answer and
 * stopped: the child keeps its compiled code once that answer is written, on
 * the same turn of its event loop, so before the stop frame is read.
 */
export async function startAnswerStop(
  home: string,
  env: Record<string, string> = {},
  execArgv?: string[],
): Promise<void> {
  const thread = track(
    JailThread.fromModule(fixture('echo'), {
      name: 'cached',
      env: { XDG_CACHE_HOME: home, ...env },
      ...(execArgv && { execArgv }),
    }),
  );
  await thread.start();
  await thread.getStatus();
  await thread.stop();
}

export const folderOf = (home: string): string => path.join(home, 'jailthread', 'code-cache');
export const entries = (home: string): string[] => readdirSync(folderOf(home)).filter((name) => name.endsWith('.v8'));

/** A fresh cache home for each test of the suite that calls it, removed after. */
export function freshHomes(): () => string {
  let home = '';
  beforeEach(() => {
    home = mkdtempSync(path.join(tmpdir(), 'jailthread-code-cache-'));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));
  return () => home;
}
