import { readFileSync } from 'node:fs';

/** A process's proportional and resident set sizes in MiB, from /proc/<pid>/smaps_rollup. */
export function memoryOf(pid) {
  const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? Number.NaN) / 1024;
  return { pss: field('Pss'), rss: field('Rss') };
}
