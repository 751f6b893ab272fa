/**
 * Benchmarks 1 (critical path), 4 (what a full run costs) and 5 (growth), plus the first half of 6 (from the CLI's
 * start to its first scenario result): real suites through `dumont-e2e run --target sim` on the bench's stack.
 */
import { Client, Connection } from '@temporalio/client';
import { CATEGORY_TOTALS } from '../src/catalog/estimates';
import { SCENARIOS } from '../src/catalog';
import { defaultMaxParallel } from '../src/client/scheduling/parallelism';
import type { BenchSizes } from './lib/options';
import { distribution, mib, ratio, seconds, type Distribution } from './lib/stats';
import { eventsOf, waitingVersusHarness } from './lib/history';
import type { BenchStack } from './lib/stack';
import { runSuites, type SuiteRun } from './lib/suite-run';

/** A suite run as the results file keeps it. */
export interface SuiteFigures {
  select: string;
  maxParallel: number | 'default';
  scenarios: number;
  passed: number;
  failed: number;
  leaked: number;
  /** Suite wall ÷ its longest scenario: 1.0 is the critical path. */
  wallOverLongest: number;
  /** Sum of scenario durations ÷ suite wall: how many scenarios ran at once on average. */
  effectiveParallelism: number;
  wallS: number;
  longestS: number;
  longest: string;
  sumS: number;
  breakdownS: { startLag: number; longest: number; straggle: number; tail: number };
  /** GPU-minutes of the run ÷ the seed's estimate for its scenarios (see {@link costOf}). */
  costRatio: number;
  /** The CLI command's wall past the suite's: connecting, checking the server, starting the suite, reports. */
  commandOverheadS: number;
}

export interface SuitesResult {
  /** The CLI's `--max-parallel` default on this machine. */
  defaultMaxParallel: number;
  startup: { firstResultS?: number; firstRunCliS: number; select: string };
  headline: SuiteFigures;
  sweep: SuiteFigures[];
  growth: { runs: number; suites: number; wallS: number; wallPerRunMs: number; workerPeakRssMiB?: number }[];
  cost: CostFigures;
  /**
   * Per scenario of the headline run, the share of its time spent in the harness rather than waiting on the platform
   * (nothing pending in its history: no activity, timer or child), and the same in seconds.
   */
  harnessShare: Distribution;
  /** Parts after the headline that failed (the others were still measured). */
  errors: string[];
  harnessSeconds: Distribution;
}

export interface CostFigures {
  select: string;
  categories: {
    category: string;
    scenarios: number;
    gpuMinutes: number;
    seedGpuMinutes: number;
    costUsd: number;
    seedCostUsd: number;
  }[];
  total: { gpuMinutes: number; seedGpuMinutes: number; costUsd: number; seedCostUsd: number; ratio: number };
  /** The scenarios that spend the most GPU time, with their share of the total. */
  top: { scenario: string; gpuMinutes: number; share: number; estimateGpuMinutes: number }[];
}

function figures(r: SuiteRun): SuiteFigures {
  const s = r.result.scenarios;
  return {
    select: r.select,
    maxParallel: r.maxParallel,
    scenarios: r.scenarios,
    passed: s.filter((x) => x.status === 'passed').length,
    failed: s.filter((x) => x.status === 'failed').length,
    leaked: r.result.leaked.length,
    wallOverLongest: ratio(r.wallMs, r.longestMs),
    effectiveParallelism: ratio(r.sumMs, r.wallMs),
    wallS: seconds(r.wallMs),
    longestS: seconds(r.longestMs),
    longest: r.longest,
    sumS: seconds(r.sumMs),
    breakdownS: {
      startLag: seconds(r.breakdown.startLagMs),
      longest: seconds(r.breakdown.longestMs),
      straggle: seconds(r.breakdown.straggleMs),
      tail: seconds(r.breakdown.tailMs),
    },
    commandOverheadS: seconds(r.cliMs - r.wallMs),
    costRatio: costOf(r).total.ratio,
  };
}

/** GPU time and dollars per category of a run, against the seed's table (categories fully in the selection only). */
export function costOf(run: SuiteRun): CostFigures {
  const byCategory = new Map<string, { n: number; gpuS: number; usd: number }>();
  for (const s of run.result.scenarios) {
    const c = byCategory.get(s.category) ?? { n: 0, gpuS: 0, usd: 0 };
    c.n += 1;
    c.gpuS += s.gpuSeconds;
    c.usd += s.costUsd;
    byCategory.set(s.category, c);
  }
  const round = (x: number, d = 2) => Number(x.toFixed(d));
  const categories = [...byCategory].map(([category, c]) => {
    const seed = CATEGORY_TOTALS[category as keyof typeof CATEGORY_TOTALS];
    // A category only partly selected is compared with its share of the seed's estimate.
    const share = c.n / seed.scenarios;
    return {
      category,
      scenarios: c.n,
      gpuMinutes: round(c.gpuS / 60, 1),
      seedGpuMinutes: round(seed.gpuMinutes * share, 1),
      costUsd: round(c.usd),
      seedCostUsd: round(seed.costUsd * share),
    };
  });
  const sum = (k: 'gpuMinutes' | 'seedGpuMinutes' | 'costUsd' | 'seedCostUsd') =>
    round(
      categories.reduce((s, c) => s + c[k], 0),
      k.endsWith('Usd') ? 2 : 1
    );
  const totalGpuS = run.result.scenarios.reduce((s, x) => s + x.gpuSeconds, 0);
  const top = [...run.result.scenarios]
    .sort((a, b) => b.gpuSeconds - a.gpuSeconds)
    .slice(0, 5)
    .map((s) => ({
      scenario: `s${String(s.id).padStart(3, '0')}-${s.slug}`,
      gpuMinutes: round(s.gpuSeconds / 60, 1),
      share: ratio(s.gpuSeconds, totalGpuS),
      estimateGpuMinutes: SCENARIOS.find((x) => x.id === s.id)?.estimate.gpuMinutes ?? NaN,
    }));
  return {
    select: run.select,
    categories,
    total: {
      gpuMinutes: sum('gpuMinutes'),
      seedGpuMinutes: sum('seedGpuMinutes'),
      costUsd: sum('costUsd'),
      seedCostUsd: sum('seedCostUsd'),
      ratio: ratio(sum('gpuMinutes'), sum('seedGpuMinutes')),
    },
    top,
  };
}

/** Runs the suites: warm-up (starts the stack), the headline, the parallelism sweep, then the growth copies. */
export async function benchSuites(
  stack: BenchStack,
  sizes: BenchSizes,
  log: (line: string) => void
): Promise<SuitesResult> {
  const quiet = (line: string) => {
    if (/^suite |^\[|^stack|starting|ready/i.test(line)) log(`    ${line}`);
  };
  log(`  warm-up: run --select '${sizes.warmupSelect}' (starts the stack)`);
  const warm = await runSuites(stack, await clientFor(stack, true), [{ select: sizes.warmupSelect, log: quiet }]);
  const client = await clientFor(stack);
  const warmRun = warm.runs[0]!;
  // The headline first, so a later part that fails (the machine runs out of time or memory) cannot lose it.
  log(`  headline: --select '${sizes.headlineSelect}' at default settings`);
  const head = await runSuites(stack, client, [{ select: sizes.headlineSelect, log: quiet }]);
  const headRun = head.runs[0]!;
  const split = await Promise.all(
    headRun.children.map(async (c) => waitingVersusHarness(await eventsOf(client, c.id)))
  );
  const errors: string[] = [];
  const guarded = async (what: string, fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (err) {
      errors.push(`${what}: ${(err as Error).message.split('\n')[0]}`);
      log(`  FAILED ${what}: ${(err as Error).message.split('\n')[0]}`);
    }
  };
  const sweep: SuiteFigures[] = [];
  for (const p of sizes.sweepParallel) {
    log(`  sweep: --select '${sizes.sweepSelect}' --max-parallel ${p}`);
    await guarded(`sweep --max-parallel ${p}`, async () => {
      const { runs } = await runSuites(stack, client, [{ select: sizes.sweepSelect, maxParallel: p, log: quiet }]);
      sweep.push(figures(runs[0]!));
    });
  }
  // The default is measured once more unless the sweep has just run it.
  if (!sizes.sweepParallel.includes(defaultMaxParallel('sim'))) {
    log(`  sweep: --select '${sizes.sweepSelect}' at the default --max-parallel`);
    await guarded('sweep at the default', async () => {
      sweep.push(figures((await runSuites(stack, client, [{ select: sizes.sweepSelect, log: quiet }])).runs[0]!));
    });
  }
  const growth: SuitesResult['growth'] = [warmRun, headRun].map((r, i) => {
    const peak = (i === 0 ? warm : head).workerPeakRssBytes;
    return {
      runs: r.scenarios,
      suites: 1,
      wallS: seconds(r.wallMs),
      wallPerRunMs: Math.round(r.wallMs / r.scenarios),
      workerPeakRssMiB: peak && mib(peak),
    };
  });
  if (sizes.growthCopies > 1) {
    log(`  growth: ${sizes.growthCopies} suites of '${sizes.headlineSelect}' at once`);
    await guarded('growth', async () => {
      const many = await runSuites(
        stack,
        client,
        Array.from({ length: sizes.growthCopies }, () => ({ select: sizes.headlineSelect, log: quiet, attach: true }))
      );
      const start = Math.min(
        ...many.runs.map((r) => Math.min(...r.children.map((c) => c.startMs)) - r.breakdown.startLagMs)
      );
      const end = Math.max(...many.runs.map((r) => Math.max(...r.children.map((c) => c.closeMs)) + r.breakdown.tailMs));
      const runs = many.runs.reduce((n, r) => n + r.scenarios, 0);
      growth.push({
        runs,
        suites: many.runs.length,
        wallS: seconds(end - start),
        wallPerRunMs: Math.round((end - start) / runs),
        workerPeakRssMiB: many.workerPeakRssBytes && mib(many.workerPeakRssBytes),
      });
    });
  }
  await client.connection.close();
  return {
    errors,
    harnessShare: distribution(split.map((x) => (x.totalMs ? (100 * x.harnessMs) / x.totalMs : 0))),
    harnessSeconds: distribution(split.map((x) => x.harnessMs / 1000)),
    defaultMaxParallel: defaultMaxParallel('sim'),
    startup: {
      firstResultS: warmRun.firstResultMs && seconds(warmRun.firstResultMs),
      firstRunCliS: seconds(warmRun.cliMs),
      select: warmRun.select,
    },
    headline: figures(headRun),
    sweep,
    growth,
    cost: costOf(headRun),
  };
}

/** A client of the bench stack's server; `lazy` while the first run has not started it yet. */
async function clientFor(stack: BenchStack, lazy = false): Promise<Client> {
  const connection = lazy
    ? Connection.lazy({ address: stack.temporalAddress })
    : await Connection.connect({ address: stack.temporalAddress });
  return new Client({ connection });
}
