import { formatDuration, formatUsd } from '../reporters/format';
import type { Plan } from './plan';

/**
 * The plan as a table, like a plan before apply:
 * `s001-create-rtx-4090   lifecycle   2.7 GPU-min   $0.0500   wall 3.2s   catalogue`, then the totals and the
 * budget's verdict.
 */
export function formatPlan(plan: Plan): string {
  const width = Math.max(...plan.rows.map((r) => r.key.length), 10);
  const lines = plan.rows.map((r) =>
    r.implemented
      ? [
          r.key.padEnd(width),
          r.category.padEnd(10),
          `${r.gpuMinutes.toFixed(1).padStart(6)} GPU-min`,
          formatUsd(r.costUsd).padStart(9),
          `wall ${formatDuration(r.wallMs)}`.padEnd(13),
          r.source,
        ].join('  ')
      : `${r.key.padEnd(width)}  ${r.category.padEnd(10)}  not implemented: would not run`
  );
  const t = plan.totals;
  lines.push(
    `Plan: ${t.implemented} of ${t.scenarios} scenarios would run: ${t.gpuMinutes.toFixed(1)} GPU-min, ` +
      `${formatUsd(t.costUsd)}, wall ${formatDuration(t.wallMs)} (max ${plan.maxParallel} at once, timeScale ${plan.timeScale})`
  );
  if (plan.budget) {
    const b = plan.budget;
    lines.push(
      b.fits
        ? `Budget: $${b.budgetUsd} — the plan fits`
        : b.runWhatFits
          ? `Budget: $${b.budgetUsd} — the plan does not fit; --run-what-fits starts only the scenarios that fit`
          : `Budget: $${b.budgetUsd} — refused: ${b.reason}`
    );
  }
  if (t.implemented === 0) lines.push('Nothing would run: no selected scenario is implemented.');
  return lines.join('\n');
}
