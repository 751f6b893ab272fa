/**
 * PURE and deterministic: the order in which the suite starts its scenarios. Starting the longest first lets the
 * short ones fill the slots beside it, so the suite's wall approaches its longest scenario instead of ending on a
 * long one started last (the classic longest-processing-time-first rule for parallel machines).
 */
import { ApplicationFailure } from '@temporalio/workflow';
import type { ScenarioSpec } from '../catalog/types';

/**
 * Expected duration of scenarios in **platform minutes**, by scenario id (`"6"`), measured by earlier runs (the
 * client reads them from its local history and passes them in the suite's input). Platform minutes, not
 * milliseconds, so runs at another time scale compare.
 */
export type DurationHints = Readonly<Record<string, number>>;

/** Most hints a suite input may carry: one per catalogue scenario, with room to spare. */
const MAX_HINTS = 1000;

/**
 * `input.durationHints` validated: an object of scenario id → finite non-negative number, or undefined.
 *
 * @throws a non-retryable `ValidationError` naming the bad entry (a workflow-task error would retry forever).
 */
export function optDurationHints(input: Record<string, unknown>): DurationHints | undefined {
  const v = input.durationHints;
  if (v === undefined || v === null) return undefined;
  const bad = (value: unknown, expected: string) =>
    ApplicationFailure.nonRetryable(
      `invalid input: durationHints = ${JSON.stringify(value)?.slice(0, 200)} (expected ${expected})`,
      'ValidationError'
    );
  if (typeof v !== 'object' || Array.isArray(v)) throw bad(v, 'an object of scenario id to platform minutes');
  const entries = Object.entries(v as Record<string, unknown>);
  if (entries.length > MAX_HINTS) throw bad(`${entries.length} entries`, `at most ${MAX_HINTS} entries`);
  for (const [id, minutes] of entries) {
    if (!/^\d{1,4}$/.test(id)) throw bad({ [id]: minutes }, 'scenario ids such as "6" as keys');
    if (typeof minutes !== 'number' || !Number.isFinite(minutes) || minutes < 0)
      throw bad({ [id]: minutes }, 'a finite number of platform minutes ≥ 0');
  }
  return v as DurationHints;
}

/**
 * Each scenario's expected duration in platform minutes: its measured duration where `hints` has one; otherwise the
 * catalogue's estimate (GPU-minutes, the only duration the seed gives), scaled by how measured durations compare
 * with estimates on the scenarios that have both (the median ratio), so measured and estimated ones rank together.
 */
export function expectedMinutes(specs: readonly ScenarioSpec[], hints: DurationHints = {}): Map<number, number> {
  const ratios = specs
    .filter((s) => hints[String(s.id)] !== undefined && s.estimate.gpuMinutes > 0)
    .map((s) => hints[String(s.id)]! / s.estimate.gpuMinutes)
    .sort((a, b) => a - b);
  const scale = ratios.length ? ratios[Math.floor(ratios.length / 2)]! : 1;
  return new Map(specs.map((s) => [s.id, hints[String(s.id)] ?? s.estimate.gpuMinutes * scale]));
}

/**
 * `specs` longest expected first (see {@link expectedMinutes}); ties by the longer deadline, then by catalogue
 * order, so the order is a function of the input alone (it is replayed). A new array; `specs` is left alone.
 */
export function longestFirst(specs: readonly ScenarioSpec[], hints?: DurationHints): ScenarioSpec[] {
  const expected = expectedMinutes(specs, hints);
  const position = new Map(specs.map((s, i) => [s.id, i]));
  return [...specs].sort(
    (a, b) =>
      expected.get(b.id)! - expected.get(a.id)! ||
      b.deadlineMinutes - a.deadlineMinutes ||
      position.get(a.id)! - position.get(b.id)!
  );
}
