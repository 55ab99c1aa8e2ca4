import { type Budget, type BudgetLimits, spend } from './restart-budget.js';
import { isSchemaFailure, shortError } from './schema-failure.js';
import type { RestartPolicy } from './spec.js';

/** A plugin's process that ended without being asked to: what the policy needs to know of it. */
export interface Ending {
  /** How it ended, in words: `exit code 1`, `start failed (exit code 1)`, `unresponsive`. */
  how: string;
  /** A crash, a failing exit code, a failed start, or ended by the supervisor (unresponsive, over its RSS limit). */
  failed: boolean;
  /** A start that can never succeed (see `isHopeless()`) on a launch that start() or restart() asked for. */
  hopeless: Error | undefined;
  /** When it ended, and after how many milliseconds of `run()`. */
  now: number;
  uptime: number;
}

/** What the supervisor does next. */
export type Decision =
  | { action: 'restart'; delay: number; budget: Budget }
  | { action: 'stop' }
  | { action: 'give-up'; reason: string };

/** The part of a plugin's plan the policy reads. */
export interface PolicyPlan extends BudgetLimits {
  restart: RestartPolicy;
}

/**
 * The supervisor's policy, as a pure function: restart (after how long, with
 * what budget left), leave the plugin stopped, or give it up.
 */
export function decide(plan: PolicyPlan, budget: Budget, ending: Ending): Decision {
  if (ending.hopeless !== undefined) {
    return {
      action: 'give-up',
      reason: `its start can never succeed (${shortError(ending.hopeless)}); fix the plugin, then call restart()`,
    };
  }
  if (!ending.failed && plan.restart !== 'always') return { action: 'stop' };
  if (plan.restart === 'never') {
    return { action: 'give-up', reason: `it ended (${ending.how}) and its restart policy is 'never'` };
  }
  const next = spend(budget, plan, ending.now, ending.uptime);
  if (next === undefined) {
    return {
      action: 'give-up',
      reason: `it ended (${ending.how}) after ${plan.maxRestarts} restarts within ${plan.restartWindow} ms; fix the plugin, then call restart()`,
    };
  }
  return { action: 'restart', ...next };
}

/** Node's codes for a module that is not there or cannot be a module; jailthread's for a missing or wrong export. */
const HOPELESS_CODES = new Set([
  'ERR_MODULE_NOT_FOUND',
  'ERR_UNSUPPORTED_DIR_IMPORT',
  'ERR_UNKNOWN_FILE_EXTENSION',
  'ERR_INVALID_MODULE_SPECIFIER',
  'ERR_THREAD_EXPORT',
]);

/**
 * Whether a start failed for a reason that trying again cannot change: the
 * module or its export is missing, the code does not parse, or the
 * constructor's schema refused the options. `error` is the
 * ThreadStartError; the child's own error is its `cause`.
 */
export function isHopeless(error: Error): boolean {
  const cause = error.cause;
  if (!(cause instanceof Error)) return false;
  const { code } = cause as { code?: unknown };
  return (
    cause.name === 'SyntaxError' || (typeof code === 'string' && HOPELESS_CODES.has(code)) || isSchemaFailure(cause)
  );
}
