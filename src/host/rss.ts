import { readFile } from 'node:fs';

/**
 * The resident set size of process `pid` in bytes, as its kernel counts it
 * (`VmRSS` in `/proc/<pid>/status`); undefined where there is no `/proc`
 * (macOS) or the process is gone. Read by the host, so a child cannot lie
 * about it the way it can about its own `process.memoryUsage()`.
 */
export async function residentBytes(pid: number): Promise<number | undefined> {
  let status: string;
  try {
    // The callback form: node:fs/promises would load readline into every child, which imports this file too.
    status = await new Promise<string>((resolve, reject) =>
      readFile(`/proc/${pid}/status`, 'latin1', (error, text) => (error ? reject(error) : resolve(text))),
    );
  } catch {
    return undefined;
  }
  const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  return kib === undefined ? undefined : Number(kib) * 1024;
}
