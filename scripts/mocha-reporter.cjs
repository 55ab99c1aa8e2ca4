// mocha's spec reporter, plus the plain closing line CI reads:
// "N passed, N failed" (and ", N skipped" when some were).
const { Spec } = require('mocha').reporters;

class SummaryReporter extends Spec {
  constructor(runner, options) {
    super(runner, options);
    // Which Node ran the suite: scripts/test-lines.js runs it on several.
    runner.once('start', () => process.stdout.write(`Node ${process.version}\n`));
    runner.once('end', () => {
      const { passes, failures, pending } = runner.stats;
      const skipped = pending > 0 ? `, ${pending} skipped` : '';
      process.stdout.write(`${passes} passed, ${failures} failed${skipped}\n`);
    });
  }
}

module.exports = SummaryReporter;
