import { expect } from 'chai';
import { type Decision, decide, type Ending, isHopeless, type PolicyPlan } from '../src/supervisor/policy.js';
import { FRESH_BUDGET, spend } from '../src/supervisor/restart-budget.js';

// Pure: the supervisor's decisions, without a process or a clock.
const plan: PolicyPlan = {
  restart: 'on-failure',
  maxRestarts: 3,
  restartWindow: 60_000,
  backoff: { initial: 100, factor: 2, max: 1_000, resetAfter: 30_000 },
};
const crash: Ending = { how: 'exit code 1', failed: true, hopeless: undefined, now: 0, uptime: 10 };

/** Decides one ending after another, each at its `now`, carrying the budget along. */
function run(endings: Ending[], policy = plan): Decision[] {
  let budget = FRESH_BUDGET;
  return endings.map((ending) => {
    const decision = decide(policy, budget, ending);
    if (decision.action === 'restart') budget = decision.budget;
    return decision;
  });
}

const actions = (decisions: Decision[]) =>
  decisions.map((decision) => (decision.action === 'restart' ? decision.delay : decision.action));

describe('supervisor policy: restart, stop or give up', () => {
  it('crashes back off exponentially, up to max, then the plugin is given up', () => {
    const decisions = run([0, 1, 2, 3].map((now) => ({ ...crash, now })));
    expect(actions(decisions)).to.deep.equal([100, 200, 400, 'give-up']);
    expect(decisions[3]).to.deep.include({
      reason: 'it ended (exit code 1) after 3 restarts within 60000 ms; fix the plugin, then call restart()',
    });
    const capped = run(
      [0, 1, 2, 3, 4].map((now) => ({ ...crash, now })),
      { ...plan, maxRestarts: 10 },
    );
    expect(actions(capped)).to.deep.equal([100, 200, 400, 800, 1_000]);
  });

  it('restarts older than the window no longer count; a long run resets the backoff', () => {
    expect(actions(run([0, 1, 2, 60_002].map((now) => ({ ...crash, now }))))).to.deep.equal([100, 200, 400, 800]);
    expect(actions(run([{ ...crash }, { ...crash, now: 1, uptime: 30_000 }]))).to.deep.equal([100, 100]);
  });

  it("a clean exit stops the plugin, except under 'always'; 'never' gives up a crash at once", () => {
    const clean = { ...crash, how: 'exit code 0', failed: false };
    expect(actions(run([clean]))).to.deep.equal(['stop']);
    expect(actions(run([clean], { ...plan, restart: 'always' }))).to.deep.equal([100]);
    expect(run([crash], { ...plan, restart: 'never' })).to.deep.equal([
      { action: 'give-up', reason: "it ended (exit code 1) and its restart policy is 'never'" },
    ]);
  });

  it('a start that can never succeed is given up at once, whatever the policy', () => {
    const hopeless = new Error("Cannot find module '/x.js'");
    const [decision] = run([{ ...crash, hopeless }], { ...plan, restart: 'always' });
    expect(decision).to.deep.equal({
      action: 'give-up',
      reason: "its start can never succeed (Error: Cannot find module '/x.js'); fix the plugin, then call restart()",
    });
  });

  it('hopeless: a missing module or export, a syntax error, a schema that refused the options; not any constructor error', () => {
    const startError = (cause: unknown) => new Error('start() failed', { cause });
    const coded = (code: string) => Object.assign(new Error(code), { code });
    expect(isHopeless(startError(coded('ERR_MODULE_NOT_FOUND')))).to.equal(true);
    expect(isHopeless(startError(coded('ERR_THREAD_EXPORT')))).to.equal(true);
    expect(isHopeless(startError(new SyntaxError('Unexpected end of input')))).to.equal(true);
    expect(isHopeless(startError(new RangeError('bad constructor input')))).to.equal(false);
    const refused = Object.assign(new Error('[\n  {...}\n]'), {
      name: 'ZodError',
      issues: [{ path: ['a'], message: 'no' }],
    });
    expect(isHopeless(startError(refused))).to.equal(true);
    expect(isHopeless(startError(Object.assign(new Error('x'), { issues: [] })))).to.equal(false);
    expect(isHopeless(startError(coded('ENOENT')))).to.equal(false);
    expect(isHopeless(new Error('no cause'))).to.equal(false);
  });

  it("a schema's refusal is given up in one line: the first issues, then how many more", () => {
    const issues = Array.from({ length: 7 }, (_, i) => ({ path: ['args', 0, `f${i}`], message: `bad ${i}` }));
    const hopeless = Object.assign(new Error('[\n  {\n    "code": ...'), { name: 'ZodError', issues });
    const [decision] = run([{ ...crash, hopeless }], plan);
    expect(decision).to.deep.equal({
      action: 'give-up',
      reason:
        'its start can never succeed (ZodError: args.0.f0: bad 0; args.0.f1: bad 1; args.0.f2: bad 2; args.0.f3: bad 3; args.0.f4: bad 4; and 2 more); fix the plugin, then call restart()',
    });
  });

  it('the budget is a value: spending it leaves the old one as it was', () => {
    const limits = { ...plan };
    const first = spend(FRESH_BUDGET, limits, 0, 0);
    expect(first).to.deep.equal({ delay: 100, budget: { recent: [0], streak: 1 } });
    expect(FRESH_BUDGET).to.deep.equal({ recent: [], streak: 0 });
  });
});
