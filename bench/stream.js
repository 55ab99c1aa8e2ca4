// npm run bench:stream [-- --rounds N] [-- --items N]: a plugin's 1 KiB items
// read as one host.stream() (default highWaterMark 16) against the same items
// as separate host.call()s, one at a time and 16 in flight, interleaved round
// by round; medians in items/s. Writes bench/stream-results.md, which
// `npm run bench` copies into docs/benchmarks.md.
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { PluginHost } from 'jailthread';
import { itemsContract } from './fixtures/stream-contract.js';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '7' }, items: { type: 'string', default: '5000' } },
});
const rounds = Number(values.rounds);
const count = Number(values.items);

const host = new PluginHost({ logger: () => undefined }).add({
  name: 'items',
  module: new URL('./fixtures/stream-plugin.js', import.meta.url),
  contract: itemsContract,
  sandbox: false,
  health: false,
});
await host.start();

const ways = {
  'one host.stream()': async () => {
    let read = 0;
    for await (const _ of host.stream('items', 'items', { count })) read++;
    if (read !== count) throw new Error(`read ${read} items`);
  },
  'host.call() each, one at a time': async () => {
    for (let i = 0; i < count; i++) await host.call('items', 'item', i);
  },
  'host.call() each, 16 in flight': async () => {
    let next = 0;
    const lane = async () => {
      while (next < count) await host.call('items', 'item', next++);
    };
    await Promise.all(Array.from({ length: 16 }, lane));
  },
};

const samples = new Map(Object.keys(ways).map((name) => [name, []]));
for (let round = -1; round < rounds; round++) {
  for (const [name, way] of Object.entries(ways)) {
    const began = performance.now();
    await way();
    // Round -1 warms V8 up and is not kept.
    if (round >= 0) samples.get(name).push(count / ((performance.now() - began) / 1000));
  }
}
await host.stop();

const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const streamed = median(samples.get('one host.stream()'));
const cells = [
  ['way', 'items/s', 'stream / this'],
  ...[...samples].map(([name, list]) => {
    const items = median(list);
    return [name, Math.round(items).toLocaleString('en'), `${(streamed / items).toFixed(1)}x`];
  }),
];
// Padded as the formatter pads a table, so the page it is copied into stays formatted.
const widths = cells[0].map((_, column) => Math.max(...cells.map((row) => row[column].length)));
const line = (row) =>
  `| ${row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join(' | ')} |`;
const rule = `| ${widths.map((width, i) => (i === 0 ? '-'.repeat(width) : `${'-'.repeat(width - 1)}:`)).join(' | ')} |`;
const [header, ...rows] = cells.map(line);
const [load] = os.loadavg();
const text = [
  '## Streams against calls',
  '',
  `\`npm run bench:stream\`: ${count} items of 1 KiB from one plugin, ${rounds} rounds after 1 of warm-up, interleaved; medians. Measured on ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${os.cpus().length} cores, load average ${load.toFixed(1)} when it ended${load > os.cpus().length / 2 ? ' (a loaded machine: read the ratios, not the figures)' : ''}.`,
  '',
  header,
  rule,
  ...rows,
  '',
].join('\n');
console.log(text);
await writeFile(new URL('./stream-results.md', import.meta.url), text);
