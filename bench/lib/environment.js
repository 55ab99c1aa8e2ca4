import { execFile as execFileCb } from 'node:child_process';
import { promisify } from 'node:util';
import { median } from './stats.js';

const execFile = promisify(execFileCb);

/** Variables Node acts on at every start, at a cost that would weigh on every process-start row alike. */
const COSTLY = ['NODE_EXTRA_CA_CERTS'];

async function bootstrapMs(env) {
  const times = [];
  for (let i = 0; i < 5; i++) {
    const { stdout } = await execFile(process.execPath, ['-p', 'performance.nodeTiming.bootstrapComplete'], { env });
    times.push(Number(stdout));
  }
  return median(times);
}

/**
 * Finds start-up costs the environment adds to every Node process (here
 * NODE_EXTRA_CA_CERTS, which makes Node read a certificate bundle before any
 * code runs), measures them, and unless `keep` removes them from the
 * environment every system's children inherit. Returns the notes to print.
 */
export async function settleEnvironment(keep) {
  const notes = [];
  for (const name of COSTLY.filter((variable) => process.env[variable] !== undefined)) {
    const withIt = await bootstrapMs(process.env);
    const { [name]: _, ...without } = process.env;
    const withoutIt = await bootstrapMs(without);
    const cost = `${name} is set here and adds ${(withIt - withoutIt).toFixed(0)} ms to every Node start (bootstrap ${withIt.toFixed(0)} ms with it, ${withoutIt.toFixed(0)} ms without)`;
    if (keep) {
      notes.push(
        `${cost}; kept (--env-as-is), so every start in rows 1, 2 and 7 carries it and their ratios are lower than on a machine without it.`,
      );
    } else {
      delete process.env[name];
      notes.push(`${cost}; removed for this run, as on a machine without it (--env-as-is keeps it).`);
    }
  }
  return notes;
}
