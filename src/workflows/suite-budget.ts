/**
 * The suite's budget cap (`budgetUsd`), as pure functions the suite workflow calls: the plan check before anything
 * starts, and the admission of each scenario while others run. Deterministic: every number comes from the
 * workflow's input, the catalogue, scenario results and activity results recorded in the history.
 *
 * The model (docs/running.md § The budget cap):
 * - **spent**: what finished scenarios report as their cost (`costUsd`, measured from the platform's charges for
 *   their label prefix);
 * - **committed by a running scenario**: the larger of its estimate and what the platform bills for its label
 *   prefix now (read by an activity at each admission): a scenario that just started has rented nothing yet but
 *   will, and one that overruns its estimate is counted at its real bill;
 * - a scenario **starts only if** spent + committed by the running ones + its own estimate ≤ budget. Otherwise it
 *   waits for a running scenario to finish (its real cost then replaces its reservation) and is tried again; when
 *   nothing runs and it still does not fit, it is skipped, and the next scenarios (maybe cheaper) are tried.
 *
 * So a run overshoots its budget only by what running scenarios bill beyond the larger of their estimate and their
 * bill at the last admission: at most the overrun of the scenarios in flight.
 */

/** One scenario running while another asks to start. */
export interface RunningCost {
  /** Its estimate (catalogue, or the refined one passed in `estimatesUsd`). */
  estimateUsd: number;
  /** What the platform bills for its label prefix now. */
  billedUsd: number;
}

/** Within a floating-point hair of the budget still fits: estimates are cents, charges micro-dollars. */
const EPSILON_USD = 1e-9;

/** What finished and running scenarios account for now: spent + Σ max(estimate, billed) of the running ones. */
export function committedUsd(spentUsd: number, running: readonly RunningCost[]): number {
  return running.reduce((sum, r) => sum + Math.max(r.estimateUsd, r.billedUsd), spentUsd);
}

/** The admission decision for one scenario. */
export type Admission =
  | { admit: true; committedUsd: number }
  /** `wait`: something runs whose finishing may free room; otherwise the scenario is skipped. */
  | { admit: false; committedUsd: number; wait: boolean; reason: string };

/**
 * Whether a scenario with `estimateUsd` may start now under `budgetUsd`, given what finished scenarios spent and
 * what the running ones commit.
 */
export function admit(
  budgetUsd: number,
  spentUsd: number,
  running: readonly RunningCost[],
  estimateUsd: number
): Admission {
  const committed = committedUsd(spentUsd, running);
  if (committed + estimateUsd <= budgetUsd + EPSILON_USD) return { admit: true, committedUsd: committed };
  return {
    admit: false,
    committedUsd: committed,
    wait: running.length > 0,
    reason:
      `budget of $${usd(budgetUsd)}: $${usd(spentUsd)} spent` +
      (running.length ? ` + $${usd(committed - spentUsd)} committed by ${running.length} running` : '') +
      ` leaves no room for its estimate of $${usd(estimateUsd)}`,
  };
}

/** The plan check: refused when the estimates of the scenarios to run add up to more than the budget. */
export function planVerdict(
  budgetUsd: number,
  estimatesUsd: readonly number[]
): { fits: true; planUsd: number } | { fits: false; planUsd: number; reason: string } {
  const planUsd = estimatesUsd.reduce((sum, e) => sum + e, 0);
  if (planUsd <= budgetUsd + EPSILON_USD) return { fits: true, planUsd };
  return {
    fits: false,
    planUsd,
    reason:
      `the plan's estimate of $${usd(planUsd)} exceeds the budget of $${usd(budgetUsd)}: ` +
      'refused before renting anything (narrow the selection, raise the budget, or run what fits)',
  };
}

/**
 * The estimate of scenario `id`: the refined one from `estimatesUsd` (keys are scenario numbers, as JSON makes
 * them strings) when present, otherwise the catalogue's.
 */
export function estimateOf(
  id: number,
  catalogueUsd: number,
  estimatesUsd: Readonly<Record<string, number>> | undefined
): number {
  const refined = estimatesUsd?.[String(id)];
  return refined === undefined ? catalogueUsd : refined;
}

function usd(n: number): string {
  return n < 0.01 && n > 0 ? n.toFixed(4) : n.toFixed(2);
}
