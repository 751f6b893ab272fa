import type { ScenarioResult, ScenarioStatus } from '../../workflows/types';
import type { HistoryRun } from './store';

/**
 * What a scenario's recent runs say about its outcome in this one:
 * - `flaky`: it flipped between pass and fail at least twice in the recent runs made with this run's code version
 *   (pass → fail → pass, or fail → pass → fail): the code did not change, the outcome did;
 * - `new-failure`: it failed, and it never failed in the recent runs;
 * - `fixed`: it passed after failing in the previous run (and is not flaky);
 * - `failing`: it failed, as it did before (and is not flaky);
 * - `stable`: it passed, as it did in every recent run.
 * Skipped and not-implemented outcomes are no evidence either way and carry no mark.
 */
export type HistoryMark = 'flaky' | 'new-failure' | 'fixed' | 'failing' | 'stable';

/** One earlier (or this) run of a scenario. */
export interface ScenarioOutcome {
  suiteId: string;
  status: ScenarioStatus;
  durationMs: number;
  costUsd: number;
  finishedAt: string;
  codeVersion: string;
}

/** A scenario's recent outcomes, oldest first and this run's last, and its {@link HistoryMark}. */
export interface ScenarioHistory {
  mark?: HistoryMark;
  outcomes: ScenarioOutcome[];
}

/** How many recent runs the marks look at. @default 10 */
export const DEFAULT_HISTORY_WINDOW = 10;

const decisive = (s: ScenarioStatus): boolean => s === 'passed' || s === 'failed';

/** Pass/fail changes between consecutive decisive outcomes. */
function flips(statuses: readonly ScenarioStatus[]): number {
  const seq = statuses.filter(decisive);
  let n = 0;
  for (let i = 1; i < seq.length; i++) if (seq[i] !== seq[i - 1]) n++;
  return n;
}

/** The {@link HistoryMark} of a scenario whose outcomes (oldest first) end with this run's. */
export function markOf(outcomes: readonly ScenarioOutcome[]): HistoryMark | undefined {
  const current = outcomes.at(-1);
  if (!current || !decisive(current.status)) return undefined;
  const sameCode = outcomes.filter((o) => o.codeVersion === current.codeVersion).map((o) => o.status);
  if (flips(sameCode) >= 2) return 'flaky';
  const earlier = outcomes.slice(0, -1).filter((o) => decisive(o.status));
  if (current.status === 'failed') {
    return earlier.some((o) => o.status === 'failed') ? 'failing' : 'new-failure';
  }
  return earlier.at(-1)?.status === 'failed' ? 'fixed' : 'stable';
}

/**
 * Each scenario of `current` with its outcomes in `previous` runs (oldest first; the last `window` of them that ran
 * it) followed by this run's, and its mark. A run already in `previous` with this run's suite id is not counted twice.
 */
export function historyMarks(
  previous: readonly HistoryRun[],
  current: { suiteId: string; scenarios: readonly ScenarioResult[] },
  codeVersion: string,
  finishedAt: string,
  window = DEFAULT_HISTORY_WINDOW
): Record<number, ScenarioHistory> {
  const earlier = previous.filter((r) => r.suiteId !== current.suiteId);
  const out: Record<number, ScenarioHistory> = {};
  for (const s of current.scenarios) {
    const past: ScenarioOutcome[] = [];
    for (const run of earlier) {
      const o = run.scenarios.find((x) => x.id === s.id);
      if (o) past.push({ suiteId: run.suiteId, ...pick(o), finishedAt: run.finishedAt, codeVersion: run.codeVersion });
    }
    const outcomes = [...past.slice(-window), { suiteId: current.suiteId, ...pick(s), finishedAt, codeVersion }];
    const mark = markOf(outcomes);
    out[s.id] = { ...(mark ? { mark } : {}), outcomes };
  }
  return out;
}

function pick(s: Pick<ScenarioResult, 'status' | 'durationMs' | 'costUsd'>) {
  return { status: s.status, durationMs: s.durationMs, costUsd: s.costUsd };
}
