import { execa } from 'execa';
import { toModuleUrl } from '../module-url.js';
import { pluginEnv, sandboxFlags } from '../supervisor/sandbox.js';
import type { PluginSpec } from '../supervisor/spec.js';
import { planOf } from '../supervisor/spec-plan.js';
import { clip, inline } from '../terminal-text.js';

/** How long a plugin's module may take to load in the probe, by default. */
export const PROBE_TIMEOUT = 10_000;

/** What a probe found: nothing wrong, a problem, or a module still loading at the deadline (slow, or hung: it cannot tell). */
export type ProbeResult = { ok: true } | { ok: false; problem: string; timedOut: boolean };

// Loads the module and says what the export is; `jailthread.class` is the brand
// every JailThread subclass carries (src/context.ts), so no import of the library is needed.
const SCRIPT = `
const [url, name] = JSON.parse(process.argv[1]);
let ns;
try { ns = await import(url); }
catch (error) { console.log(JSON.stringify({ error: String(error && error.code || (error && error.name)), message: String(error && error.message) })); process.exit(0); }
const value = ns[name];
console.log(JSON.stringify({ exports: Object.keys(ns), kind: typeof value, brand: typeof value === 'function' && value[Symbol.for('jailthread.class')] === true }));
process.exit(0);
`;

interface ProbeAnswer {
  error?: string;
  message?: string;
  exports?: string[];
  kind?: string;
  brand?: boolean;
}

/**
 * Whether a plugin's module can be found and exports a JailThread class under
 * its `export`: the module is loaded in a process of its own, as the plugin
 * would be (its sandbox, its environment, its folder), never in the host,
 * and given `timeout` ms. Its top-level code runs there; its class is not
 * constructed.
 */
export async function probeModule(spec: PluginSpec, timeout = PROBE_TIMEOUT): Promise<ProbeResult> {
  const problem = await probe(spec, timeout);
  if (problem === undefined) return { ok: true };
  return { ok: false, problem: problem.text, timedOut: problem.timedOut };
}

async function probe(spec: PluginSpec, timeout: number): Promise<{ text: string; timedOut: boolean } | undefined> {
  const found = (text: string) => ({ text, timedOut: false });
  const plan = planOf(spec);
  const url = toModuleUrl(plan.module);
  const flags = plan.sandbox === undefined ? [] : sandboxFlags(plan.sandbox, url);
  const result = await execa(
    process.execPath,
    [...flags, '--input-type=module', '-e', SCRIPT, JSON.stringify([url, plan.export])],
    {
      reject: false,
      timeout,
      env: pluginEnv(plan.envAllow, plan.env),
      extendEnv: false,
      ...(plan.cwd === undefined ? {} : { cwd: plan.cwd }),
      maxBuffer: 64 * 1024,
      stdin: 'ignore',
    },
  );
  if (result.timedOut) return { text: `module ${url} did not finish loading within ${timeout} ms`, timedOut: true };
  let answer: ProbeAnswer | undefined;
  try {
    answer = JSON.parse(String(result.stdout).trim().split('\n').at(-1) ?? '') as ProbeAnswer;
  } catch {
    answer = undefined;
  }
  if (answer === undefined) {
    const said = clip(inline(String(result.stderr).trim().split('\n')[0] ?? ''), 300);
    return found(
      `module ${url} could not be loaded (${result.exitCode === undefined ? 'no exit code' : `exit code ${result.exitCode}`}${said === '' ? '' : `: ${said}`})`,
    );
  }
  if (answer.error !== undefined) {
    const message = clip(String(answer.message).split('\n')[0] ?? '', 300);
    if (answer.error === 'ERR_MODULE_NOT_FOUND' && message.includes(url.replace(/^file:\/\//, '')))
      return found(`module ${url} cannot be found; check the path`);
    return found(`module ${url} cannot be loaded: ${answer.error}: ${message}`);
  }
  if (answer.kind === 'undefined')
    return found(
      `module ${url} has no export '${plan.export}' (its exports: ${answer.exports?.join(', ') || 'none'}); set "export" to the one holding the plugin class`,
    );
  if (answer.brand !== true)
    return found(
      `export '${plan.export}' of module ${url} is not a JailThread or Plugin class (got ${answer.kind}); export a class that extends Plugin`,
    );
  return undefined;
}
