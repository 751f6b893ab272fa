import type { Category } from './types';

/** One row of the seed's cost table ("Resumo de Custos"). */
export interface CategoryTotals {
  /** Number of scenarios in the category. */
  scenarios: number;
  /** Estimated GPU-minutes for the whole category. */
  gpuMinutes: number;
  /** Estimated cost of the whole category in USD. */
  costUsd: number;
}

/** The seed's per-category cost table, verbatim: 461 GPU-minutes and $7.65 in all. */
export const CATEGORY_TOTALS: Readonly<Record<Category, CategoryTotals>> = {
  lifecycle: { scenarios: 15, gpuMinutes: 45, costUsd: 0.75 },
  serverless: { scenarios: 12, gpuMinutes: 60, costUsd: 1.0 },
  failover: { scenarios: 15, gpuMinutes: 90, costUsd: 1.5 },
  snapshots: { scenarios: 10, gpuMinutes: 30, costUsd: 0.5 },
  jobs: { scenarios: 12, gpuMinutes: 36, costUsd: 0.6 },
  models: { scenarios: 12, gpuMinutes: 60, costUsd: 1.0 },
  finetune: { scenarios: 8, gpuMinutes: 80, costUsd: 1.35 },
  market: { scenarios: 6, gpuMinutes: 10, costUsd: 0.15 },
  migration: { scenarios: 5, gpuMinutes: 25, costUsd: 0.4 },
  edge: { scenarios: 5, gpuMinutes: 25, costUsd: 0.4 },
};

/** The seed's `cost_high` threshold: more than this many USD per run. */
export const COST_HIGH_USD = 0.1;

/**
 * Splits `total` over `weights` in steps of `10^-decimals`, so the parts add up to `total` exactly in
 * those steps (largest-remainder method; ties go to the earlier weight). A zero weight gets zero.
 */
export function apportion(total: number, weights: readonly number[], decimals: number): number[] {
  const scale = 10 ** decimals;
  const units = Math.round(total * scale);
  const weightSum = weights.reduce((sum, w) => sum + w, 0);
  if (weightSum <= 0 || weights.some((w) => w < 0 || !Number.isFinite(w))) {
    throw new RangeError(`weights must be non-negative with a positive sum, got [${weights.join(', ')}]`);
  }
  const exact = weights.map((w) => (w / weightSum) * units);
  const parts = exact.map(Math.floor);
  let left = units - parts.reduce((sum, p) => sum + p, 0);
  const byRemainder = exact
    .map((value, index) => ({ index, remainder: value - Math.floor(value) }))
    .sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index } of byRemainder) {
    if (left <= 0) break;
    parts[index] += 1;
    left -= 1;
  }
  return parts.map((p) => Number((p / scale).toFixed(decimals)));
}
