/**
 * Chaos part `hostile-platform` (docs/hostile.md): every hostile mode of the simulator, twice — once against one
 * call (the harness must raise the named error the probes expect) and once during a compensation (it must still
 * destroy everything). One row per mode and check.
 */
import path from 'node:path';
import type { ChaosOptions, ChaosRow } from '../types';
import { outcomeOf } from '../types';
import { ERROR_EXPECTATIONS, matches, MODES, probeCleanup, probeError, startProbeSim } from './hostile-platform-probes';

/** Runs the hostile-platform trials; the same in the short campaign (they take seconds). */
export async function run(opts: ChaosOptions): Promise<ChaosRow[]> {
  const rows: ChaosRow[] = [];
  // Each row is handed to the runner as soon as it exists (it saves the results file at once).
  const push = (row: ChaosRow): void => {
    rows.push(row);
    opts.onRow?.(row);
  };
  const sim = await startProbeSim({ seed: opts.seed, dataDir: path.join(opts.workDir, 'hostile-sim') });
  try {
    for (const mode of Object.keys(ERROR_EXPECTATIONS) as (keyof typeof ERROR_EXPECTATIONS)[]) {
      const started = Date.now();
      const seen = await probeError(sim, mode);
      const ok = matches(mode, seen);
      opts.log(`hostile-platform ${mode}: ${seen.error}: ${seen.message}`);
      push({
        part: 'hostile-platform',
        trial: `${mode} (error)`,
        seed: opts.seed,
        outcome: ok ? 'ok' : 'error',
        lost: 0,
        leaked: 0,
        falseFailures: [],
        detail: `${ok ? '' : `expected ${ERROR_EXPECTATIONS[mode].error} ${ERROR_EXPECTATIONS[mode].message}, got `}${seen.error}: ${seen.message}`,
        seconds: (Date.now() - started) / 1000,
      });
    }
    for (const mode of MODES) {
      const started = Date.now();
      const label = `dumont-e2e/chaos-hostile-${mode}/s001/main`;
      const res = await probeCleanup(sim, mode, { label, count: 3 });
      const failed = res.error !== undefined || res.spoiled === 0;
      const counted = outcomeOf({ lost: 0, leaked: res.leaked, falseFailures: [] });
      push({
        part: 'hostile-platform',
        trial: `${mode} (cleanup)`,
        seed: opts.seed,
        outcome: counted !== 'ok' ? counted : failed ? 'error' : 'ok',
        lost: 0,
        leaked: res.leaked,
        falseFailures: [],
        detail:
          `${res.spoiled} answers spoiled during the compensation; ` +
          (res.error
            ? `cleanup failed: ${res.error}`
            : `cleanup completed${res.warnings.length ? `: ${res.warnings.join('; ')}` : ''}`),
        seconds: (Date.now() - started) / 1000,
      });
    }
  } finally {
    await sim.stop();
  }
  return rows;
}
