/**
 * Durations of earlier runs, for the longest-first order: read from the local run history
 * (`src/client/history`, `<data dir>/run-history.jsonl`, appended by every finished run), as platform minutes per
 * scenario id, the unit the suite's `durationHints` take.
 */
import { historyFile, readRuns, scenarioStats } from '../history';
import type { Target } from '../../workflows/types';

/** How many recent runs the durations come from: recent enough to follow the code, enough to ignore one outlier. */
export const RUNS_CONSIDERED = 10;

/** Platform minutes a `durationMs` at `timeScale` stands for (the simulator's clock runs `1/timeScale` fast). */
export function platformMinutes(durationMs: number, timeScale: number): number {
  return durationMs / 60_000 / timeScale;
}

/**
 * Each scenario's median duration over the last {@link RUNS_CONSIDERED} runs on `target` recorded under `dataDir`, in
 * platform minutes at `timeScale` (the history keeps milliseconds, not the scale they were measured at: runs at
 * another scale are off by a common factor, which leaves their order alone). `{}` when none were recorded or the
 * history cannot be read: the order then falls back to the catalogue's estimates, never an error.
 */
export async function earlierDurations(
  dataDir: string,
  target: Target,
  timeScale: number
): Promise<Record<string, number>> {
  try {
    const runs = await readRuns(historyFile(dataDir), { last: RUNS_CONSIDERED, target });
    const out: Record<string, number> = {};
    for (const [id, stats] of scenarioStats(runs))
      out[String(id)] = Number(platformMinutes(stats.medianDurationMs, timeScale).toFixed(3));
    return out;
  } catch {
    return {};
  }
}
