// Row 8: what importing a module costs a fresh host, in time and memory.
// Prints {"ms": …, "rssMb": …} for argv[2] ('nothing' is Node alone).
const what = process.argv[2];
const rss0 = process.memoryUsage().rss;
const t0 = performance.now();
if (what !== 'nothing') await import(what);
const ms = performance.now() - t0;
process.stdout.write(JSON.stringify({ ms, rssMb: (process.memoryUsage().rss - rss0) / 2 ** 20 }));
