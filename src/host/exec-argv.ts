import type { ProcessOptions } from '../options.js';

const DEBUG_WITH_VALUE = new Set(['--inspect-port', '--debug-port']);

/**
 * The child's Node flags: the given ones (or the host's), less debugger flags,
 * which would make the child fight the host for the inspector port. Loaders
 * (`--import`, `--loader`) pass through, so a host run under tsx can start
 * threads written in TypeScript.
 */
export function childExecArgv(options: ProcessOptions): string[] {
  const source = options.execArgv ?? process.execArgv;
  const kept: string[] = [];
  for (let i = 0; i < source.length; i++) {
    const arg = source[i] as string;
    if (DEBUG_WITH_VALUE.has(arg)) {
      i++;
    } else if (!arg.startsWith('--inspect') && !arg.startsWith('--debug')) {
      kept.push(arg);
    }
  }
  if (options.maxOldGenerationSizeMb !== undefined) {
    kept.push(`--max-old-space-size=${Math.floor(options.maxOldGenerationSizeMb)}`);
  }
  return kept;
}
