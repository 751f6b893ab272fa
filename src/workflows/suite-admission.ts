/**
 * The suite workflow's side of the budget cap: reads what running scenarios bill (an activity per running scenario,
 * so the decision replays from the history) and applies the pure rules of `suite-budget.ts`. The suite calls
 * {@link budgetGate} once and {@link BudgetGate.admit} before starting each implemented scenario.
 */
import { condition, patched } from '@temporalio/workflow';
import { scenarioKey, type ScenarioSpec } from '../catalog/types';
import { scenarioPrefix } from '../labels';
import type { Steps } from './kit/steps';
import { admit, estimateOf, planVerdict, type RunningCost } from './suite-budget';
import type { BudgetOutcome } from './types';

/** Options of {@link budgetGate}. */
export interface BudgetGateOptions {
  suiteId: string;
  budgetUsd: number;
  runWhatFits: boolean;
  estimatesUsd?: Record<string, number>;
  /** The selected scenarios (not-implemented ones are ignored). */
  selected: readonly ScenarioSpec[];
  steps: Pick<Steps, 'chargesForLabel'>;
  /** Child workflow ids of the scenarios running now. */
  running: () => ReadonlySet<string>;
  /** What finished scenarios spent so far. */
  spent: () => number;
}

/** The budget cap of one suite run. */
export interface BudgetGate {
  /**
   * Resolves when `spec` may start (`undefined`), or with the reason it is skipped: the plan was refused, or it
   * does not fit even with nothing else running. Waits while running scenarios hold the room it needs.
   */
  admit(spec: ScenarioSpec): Promise<string | undefined>;
  /** What the gate decided, for the suite's result. `undefined` for runs that predate the admission (replays). */
  outcome(): BudgetOutcome | undefined;
}

/**
 * Creates the gate. Runs started before the `suite-budget-admission` patch (docs/versioning.md) keep the old rule:
 * stop starting scenarios once finished ones spent the budget.
 */
export function budgetGate(o: BudgetGateOptions): BudgetGate {
  if (!patched('suite-budget-admission')) {
    return {
      admit: async () =>
        o.spent() >= o.budgetUsd ? `budget of $${o.budgetUsd} spent ($${o.spent().toFixed(4)})` : undefined,
      outcome: () => undefined,
    };
  }
  const implemented = o.selected.filter((s) => s.workflowType);
  const estimate = (s: ScenarioSpec) => estimateOf(s.id, s.estimate.costUsd, o.estimatesUsd);
  const byChildId = new Map(implemented.map((s) => [`${o.suiteId}/${scenarioKey(s)}`, s]));
  const plan = planVerdict(o.budgetUsd, implemented.map(estimate));
  const refusal = plan.fits || o.runWhatFits ? undefined : plan.reason;
  const admissions: BudgetOutcome['admissions'] = [];

  async function runningCosts(): Promise<RunningCost[]> {
    const specs = [...o.running()].flatMap((id) => (byChildId.has(id) ? [byChildId.get(id)!] : []));
    return Promise.all(
      specs.map(async (s) => {
        const billed = await o.steps.chargesForLabel({ labelPrefix: scenarioPrefix(o.suiteId, s.id) });
        return { estimateUsd: estimate(s), billedUsd: billed.costUsd };
      })
    );
  }

  return {
    async admit(spec) {
      if (refusal) return refusal;
      const own = estimate(spec);
      for (;;) {
        // Nothing running bills nothing: no activity then (a run of cheap scenarios one at a time stays lean).
        const running = o.running().size > 0 ? await runningCosts() : [];
        const verdict = admit(o.budgetUsd, o.spent(), running, own);
        if (verdict.admit) {
          admissions.push({ id: spec.id, committedUsd: verdict.committedUsd, estimateUsd: own });
          return undefined;
        }
        if (!verdict.wait) return verdict.reason;
        // A finished scenario turns its reservation into its real cost: try again then.
        const before = o.running().size;
        await condition(() => o.running().size < before);
      }
    },
    outcome: () => ({
      budgetUsd: o.budgetUsd,
      planUsd: plan.planUsd,
      refused: refusal !== undefined,
      runWhatFits: o.runWhatFits,
      admissions,
    }),
  };
}
