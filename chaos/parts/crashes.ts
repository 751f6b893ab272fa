/**
 * Items 1 and 2 of the campaign: the worker killed with SIGKILL at seeded moments (restarted with `dumont-e2e worker`),
 * and the Temporal dev server killed with SIGKILL and restarted on the same SQLite file and port.
 */
import type { ChaosStack } from '../stack';
import type { ChaosOptions, ChaosRow } from '../types';
import { crashTrial, hurtTrials, trialSeed } from './crash-trial';

/** Trials of each part: the campaign's counts (the issue's floor) and `--short`'s. */
export const TRIALS = {
  'worker-crash': { full: 20, short: 2 },
  'server-crash': { full: 3, short: 1 },
  'cli-crash': { full: 3, short: 1 },
} as const;

/** Worker crashes: SIGKILL, a seeded pause of 0-5 s with no worker at all, then `dumont-e2e worker`. */
export async function runWorkerCrashes(stack: ChaosStack, opts: ChaosOptions): Promise<ChaosRow[]> {
  const n = opts.short ? TRIALS['worker-crash'].short : TRIALS['worker-crash'].full;
  const report = (row: ChaosRow): void => {
    opts.log(`worker-crash ${row.trial}/${n}: ${row.outcome} (${row.seconds} s) ${row.detail}`);
    opts.onRow?.(row);
  };
  return hurtTrials(
    n,
    (i) =>
      crashTrial({
        stack,
        part: 'worker-crash',
        trial: i,
        seed: trialSeed(opts.seed, 1, i),
        hurt: async ({ stack: s, prng }) => {
          const pid = s.workerPid();
          const t = Date.now();
          await s.killWorker();
          const down = prng.float(0, 5);
          await new Promise((resolve) => setTimeout(resolve, down * 1000));
          await s.startWorker();
          const outageSeconds = (Date.now() - t) / 1000;
          return {
            line: `SIGKILL worker ${pid}, ${down.toFixed(1)} s before dumont-e2e worker, ready after ${outageSeconds.toFixed(1)} s`,
            outageSeconds,
          };
        },
      }),
    report
  );
}

/** Server crashes: SIGKILL the dev server, a seeded pause of 1-8 s, restart on the same database and port. */
export async function runServerCrashes(stack: ChaosStack, opts: ChaosOptions): Promise<ChaosRow[]> {
  const n = opts.short ? TRIALS['server-crash'].short : TRIALS['server-crash'].full;
  const report = (row: ChaosRow): void => {
    opts.log(`server-crash ${row.trial}/${n}: ${row.outcome} (${row.seconds} s) ${row.detail}`);
    opts.onRow?.(row);
  };
  return hurtTrials(
    n,
    (i) =>
      crashTrial({
        stack,
        part: 'server-crash',
        trial: i,
        seed: trialSeed(opts.seed, 2, i),
        hurt: async ({ stack: s, prng }) => {
          const t = Date.now();
          await s.killTemporal();
          const down = prng.float(1, 8);
          await new Promise((resolve) => setTimeout(resolve, down * 1000));
          await s.restartTemporal();
          const outageSeconds = (Date.now() - t) / 1000;
          return {
            line: `SIGKILL temporal server, restarted after ${down.toFixed(1)} s on ${s.cfg.dbFile}, serving after ${outageSeconds.toFixed(1)} s`,
            outageSeconds,
          };
        },
      }),
    report
  );
}
