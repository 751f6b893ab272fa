import { historyFile, readRuns, scenarioStats } from '../history';
import type { Target } from '../../workflows/types';
import type { MeasuredScenario } from './plan';

/** Earlier runs a plan learns from: recent enough to reflect today's code and platform. */
export const HISTORY_RUNS = 10;

/**
 * Measured figures per scenario from the local run history (`<data dir>/run-history.jsonl`, written by every
 * finished suite) over the last {@link HISTORY_RUNS} runs on `target`: mean cost and GPU time, median duration of
 * the runs that ran the scenario to a verdict. The one place plans read history. The history does not record the
 * runs' time scale, so on the simulator a duration measured at another `--time-scale` is taken as it is.
 */
export async function measuredScenarios(dataDir: string, target: Target): Promise<Map<number, MeasuredScenario>> {
  const runs = await readRuns(historyFile(dataDir), { target, last: HISTORY_RUNS });
  return scenarioStats(runs);
}
