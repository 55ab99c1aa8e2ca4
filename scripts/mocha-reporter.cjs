// mocha's spec reporter, plus a line every 10 s while one test runs long (a
// silent console is indistinguishable from a hung run, in CI's log above all),
// plus the plain closing line CI reads: "N passed, N failed" (and
// ", N skipped" when some were).
const { Spec } = require('mocha').reporters;

const HEARTBEAT_MS = 10_000;

class SummaryReporter extends Spec {
  constructor(runner, options) {
    super(runner, options);
    // Which Node ran the suite: scripts/test-lines.js runs it on several.
    runner.once('start', () => process.stdout.write(`Node ${process.version}\n`));
    let timer;
    const quiet = () => clearInterval(timer);
    const watch = (runnable) => {
      quiet();
      const since = Date.now();
      timer = setInterval(() => {
        const seconds = Math.round((Date.now() - since) / 1000);
        process.stdout.write(`      … ${seconds} s into "${runnable.title}"\n`);
      }, HEARTBEAT_MS);
      // The suite's end must not wait for it.
      timer.unref();
    };
    // Hooks too: the root hook that packs the package takes a while.
    runner.on('test', watch);
    runner.on('hook', watch);
    runner.on('test end', quiet);
    runner.on('hook end', quiet);
    runner.once('end', () => {
      quiet();
      const { passes, failures, pending } = runner.stats;
      const skipped = pending > 0 ? `, ${pending} skipped` : '';
      process.stdout.write(`${passes} passed, ${failures} failed${skipped}\n`);
    });
  }
}

module.exports = SummaryReporter;
