import type { PluginHostEvents } from './events.js';
import type { PluginProcess } from './life.js';
import { type Decision, decide, isHopeless } from './policy.js';
import { type Budget, FRESH_BUDGET } from './restart-budget.js';
import type { PluginPlan } from './spec-plan.js';

/** How a launch was asked for: by start() or restart(), or by the policy after a failure. */
export type Asked = 'by hand' | 'by policy';

/** What a process that ended unasked comes to: the crash to report, if it was one, and what the policy does next. */
export interface Judgement {
  crash: PluginHostEvents['crash'][0] | undefined;
  decision: Decision;
}

/**
 * A plugin's recovery from the ends no operation asked for, kept apart from
 * the operations so the policy's bookkeeping has one home: the restart budget,
 * spent by the policy's restarts and renewed by restart(), and the timer of
 * the restart the plugin waits for in backoff.
 */
export class Recovery {
  readonly #plan: PluginPlan;
  #budget: Budget = FRESH_BUDGET;
  #timer: NodeJS.Timeout | undefined;

  constructor(plan: PluginPlan) {
    this.#plan = plan;
  }

  /** restart() was called: the policy counts the plugin's restarts afresh. */
  renew(): void {
    this.#budget = FRESH_BUDGET;
  }

  /**
   * Judges `life`, which ended (`how`, in words) after `uptime` ms of `run()`
   * without an operation asking; a restart the policy decides on spends the budget.
   */
  judge(life: PluginProcess, how: string, asked: Asked, uptime: number): Judgement {
    const { startError } = life;
    const { exitCode, exitReason } = life.port;
    const failed = life.health !== undefined || startError !== undefined || exitCode !== 0;
    const crash =
      failed && life.health?.crash !== false
        ? {
            plugin: this.#plan.name,
            reason: how,
            exitReason,
            ...(startError === undefined ? {} : { error: startError }),
          }
        : undefined;
    // Only a start asked for by hand: a start that failed after the plugin once ran may succeed later.
    const hopeless = asked === 'by hand' && startError !== undefined && isHopeless(startError);
    const decision = decide(this.#plan, this.#budget, {
      how,
      failed,
      hopeless: hopeless ? (startError.cause as Error) : undefined,
      now: Date.now(),
      uptime,
    });
    if (decision.action === 'restart') this.#budget = decision.budget;
    return { crash, decision };
  }

  /** Calls `restart` after `delay` ms, unless cancel() comes first. */
  schedule(delay: number, restart: () => void): void {
    // Ref'd on purpose: a host whose plugin is between two lives must wait for it.
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      restart();
    }, delay);
  }

  cancel(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
