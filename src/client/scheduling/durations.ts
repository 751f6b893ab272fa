/**
 * Durations of earlier runs, kept locally so the next suite can start its longest scenarios first. One small JSON
 * file under the data dir: scenario id → platform minutes (the duration divided by the run's time scale, so runs
 * at another time scale compare), smoothed over runs. A stand-in until a run-history module exists: callers use
 * {@link earlierDurations} and {@link recordDurations} only, so the store can change behind them.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { SuiteResult, Target } from '../../workflows/types';

/** The file under the data dir, one per target (the simulator's and the real platform's durations differ). */
export function durationsFile(dataDir: string, target: Target): string {
  return path.join(dataDir, `scenario-durations-${target}.json`);
}

/** Weight of the newest run in the smoothed duration: recent runs count most, one outlier does not decide. */
const NEWEST_WEIGHT = 0.5;

/** Platform minutes a `durationMs` at `timeScale` stands for (the simulator's clock runs `1/timeScale` fast). */
export function platformMinutes(durationMs: number, timeScale: number): number {
  return durationMs / 60_000 / timeScale;
}

/**
 * Expected durations in platform minutes by scenario id, from the runs on `target` recorded under `dataDir`; `{}` when none
 * were, or when the file is unreadable (ordering then falls back to the catalogue's estimates: never an error).
 */
export function earlierDurations(dataDir: string, target: Target): Record<string, number> {
  try {
    const parsed = JSON.parse(readFileSync(durationsFile(dataDir, target), 'utf8')) as unknown;
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
    return Object.fromEntries(
      Object.entries(parsed as Record<string, unknown>).filter(
        (e): e is [string, number] =>
          /^\d{1,4}$/.test(e[0]) && typeof e[1] === 'number' && Number.isFinite(e[1]) && e[1] >= 0
      )
    );
  } catch {
    return {};
  }
}

/**
 * Folds a finished suite's durations into the store (scenarios that ran to a result: passed or failed, not skipped
 * or cancelled ones, whose durations say nothing). Written atomically (temp file + rename).
 */
export function recordDurations(
  dataDir: string,
  result: Pick<SuiteResult, 'scenarios' | 'timeScale' | 'target'>
): Record<string, number> {
  const store = earlierDurations(dataDir, result.target);
  for (const s of result.scenarios) {
    if ((s.status !== 'passed' && s.status !== 'failed') || !(s.durationMs > 0)) continue;
    const now = platformMinutes(s.durationMs, result.timeScale);
    const before = store[String(s.id)];
    store[String(s.id)] = Number(
      (before === undefined ? now : NEWEST_WEIGHT * now + (1 - NEWEST_WEIGHT) * before).toFixed(3)
    );
  }
  mkdirSync(dataDir, { recursive: true });
  const file = durationsFile(dataDir, result.target);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(store, null, 1)}\n`);
  renameSync(tmp, file);
  return store;
}
