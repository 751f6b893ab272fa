/** The markdown summary of a bench run: the targets first, then one table per benchmark. */
import type { BenchResults } from './index';

const yes = (ok: boolean | undefined) => (ok === undefined ? '–' : ok ? 'met' : '**not met**');
const table = (head: string[], rows: (string | number | undefined)[][]) =>
  [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${head.map((_, i) => r[i] ?? (i < r.length ? '–' : '')).join(' | ')} |`),
  ].join('\n');

/** Why a suite's wall exceeds its longest scenario, in the run's own figures. */
function wallWhy(f: NonNullable<BenchResults['suites']>['headline'], m: BenchResults['machine']): string {
  const b = f.breakdownS;
  return (
    `${b.straggle} s of scenarios still running after the longest (${f.longest}, ${f.longestS} s) ended, ${b.startLag} s ` +
    `before the first started, ${b.tail} s of tail: ${f.sumS} s of scenario time ran ${f.effectiveParallelism} at once ` +
    `on ${m.cores} cores (load average ${m.loadAvgAtStart[0]} at the start), so scenarios slow each other down` +
    (f.failed ? `; ${f.failed} failed` : '')
  );
}

export function toMarkdown(r: BenchResults): string {
  const out: string[] = [];
  const m = r.machine;
  out.push(`# Bench ${r.date} (${r.mode})`, '');
  out.push(
    `${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}; load average at start ${m.loadAvgAtStart.join(' / ')}; ${r.totalS ?? '?'} s in all.` +
      (r.catalogueScale ? ` The simulator's catalogue: ${r.catalogueScale}× the default offers.` : ''),
    ''
  );
  const s = r.suites;
  const scaleMax = r.scale?.points.at(-1);
  out.push('## Targets', '');
  out.push(
    table(
      ['figure', 'measured', 'target', '', 'why, from this run’s figures (when not met)'],
      [
        s && [
          `suite wall ÷ longest scenario, ${s.headline.scenarios} scenarios at default settings (--max-parallel ${s.defaultMaxParallel})`,
          `${s.headline.wallOverLongest}× (${s.headline.wallS} s ÷ ${s.headline.longestS} s)`,
          '≤ 1.15×',
          yes(s.headline.wallOverLongest <= 1.15),
          s.headline.wallOverLongest <= 1.15 ? '' : wallWhy(s.headline, m),
        ],
        r.steps && [
          'harness step ÷ SDK minimum, p50',
          `${r.steps.overheadP50}× (${r.steps.harnessMs.p50} ÷ ${r.steps.bareMs.p50} ms)`,
          '≤ 1.5×',
          yes(r.steps.overheadP50 <= 1.5),
        ],
        r.steps && [
          'harness step ÷ SDK minimum, p99',
          `${r.steps.overheadP99}× (${r.steps.harnessMs.p99} ÷ ${r.steps.bareMs.p99} ms)`,
          '≤ 1.5×',
          yes(r.steps.overheadP99 <= 1.5),
        ],
        scaleMax && [
          `worker peak RSS, ${scaleMax.workflows} parked workflows`,
          `${scaleMax.workerPeakRssMiB} MiB`,
          '≤ 1536 MiB at 1,000',
          scaleMax.workflows >= 1000
            ? yes(scaleMax.workerPeakRssMiB <= 1536)
            : `${yes(scaleMax.workerPeakRssMiB <= 1536)} (at ${scaleMax.workflows} only${r.scale?.didNotFit ? `; ${r.scale.didNotFit.workflows} did not fit in the time` : ''})`,
        ],
        r.startup && [
          'worker ready, prebuilt bundle',
          `${r.startup.prebuiltS} s, ${r.startup.prebuiltCpuS} s CPU (bundling at start: ${r.startup.bundlingS} s, ${r.startup.bundlingCpuS} s CPU)`,
          '< 2 s',
          r.startup.prebuiltS < 2
            ? 'met'
            : r.startup.prebuiltCpuS < 2
              ? '**not met** in wall time (met in CPU time)'
              : '**not met**',
          r.startup.prebuiltS < 2
            ? ''
            : `${r.startup.prebuiltCpuS} s of CPU in ${r.startup.prebuiltS} s of wall: the rest is waiting for a core (load average ${m.loadAvgAtStart[0]} on ${m.cores} cores at the start)`,
        ],
        s && [
          `platform cost of the ${s.headline.scenarios} scenarios ÷ the seed's estimate`,
          `${s.cost.total.ratio}× (${s.cost.total.gpuMinutes} ÷ ${s.cost.total.seedGpuMinutes} GPU-min; $${s.cost.total.costUsd} ÷ $${s.cost.total.seedCostUsd})`,
          '≤ 1×',
          yes(s.cost.total.ratio <= 1),
          s.cost.total.ratio <= 1
            ? ''
            : `most GPU time against its estimate: ${s.cost.top
                .slice(0, 3)
                .map((t) => `${t.scenario} ${t.gpuMinutes} min (estimate ${t.estimateGpuMinutes})`)
                .join('; ')} — see § 4`,
        ],
      ].filter((row): row is string[] => !!row)
    ),
    ''
  );
  if (s) {
    out.push('## 1. Critical path', '');
    const rows = [s.headline, ...s.sweep].map((f, i) => [
      i === 0 ? `**${f.select}** (headline)` : f.select,
      f.maxParallel === 'default'
        ? `default (${s.defaultMaxParallel})`
        : f.maxParallel === s.defaultMaxParallel
          ? `${f.maxParallel} (the default)`
          : f.maxParallel === 100
            ? '100 (unlimited)'
            : f.maxParallel,
      `${f.passed}/${f.scenarios}${f.failed ? `, ${f.failed} failed` : ''}${f.leaked ? `, ${f.leaked} leaked` : ''}`,
      `**${f.wallOverLongest}×**`,
      f.effectiveParallelism,
      f.wallS,
      `${f.longestS} (${f.longest})`,
      f.sumS,
      `${f.breakdownS.startLag} + ${f.breakdownS.longest} + ${f.breakdownS.straggle} + ${f.breakdownS.tail}`,
      f.commandOverheadS,
      f.costRatio,
    ]);
    out.push(
      table(
        [
          'selection',
          '--max-parallel',
          'passed',
          'wall ÷ longest',
          'sum ÷ wall',
          'wall s',
          'longest s',
          'sum s',
          'wall = start lag + longest + straggle + tail (s)',
          'command past the suite s',
          'GPU-min ÷ seed',
        ],
        rows
      ),
      ''
    );
    out.push(
      `Time a scenario spends in the harness rather than waiting on the platform (headline run, per scenario): p50 ${s.harnessShare.p50} %, p99 ${s.harnessShare.p99} % of its duration (p50 ${s.harnessSeconds.p50} s, p99 ${s.harnessSeconds.p99} s).`,
      ''
    );
    out.push(
      `From the CLI's start (stack not running) to its first scenario result: ${s.startup.firstResultS ?? '–'} s ('${s.startup.select}'; the whole command ${s.startup.firstRunCliS} s).`,
      ''
    );
    out.push('## 4. What a run costs (platform time)', '');
    out.push(
      table(
        ['category', 'scenarios', 'GPU-min', 'seed GPU-min', '$', 'seed $'],
        s.cost.categories.map((c) => [
          c.category,
          c.scenarios,
          c.gpuMinutes,
          c.seedGpuMinutes,
          c.costUsd,
          c.seedCostUsd,
        ])
      ),
      ''
    );
    out.push(
      'Top GPU time: ' +
        s.cost.top
          .map(
            (t) =>
              `${t.scenario} ${t.gpuMinutes} min (${Math.round(t.share * 100)} %, estimate ${t.estimateGpuMinutes})`
          )
          .join('; '),
      ''
    );
    out.push('## 5. Growth', '');
    out.push(
      table(
        ['scenario runs', 'suites at once', 'wall s', 'wall per run ms', 'worker peak RSS MiB'],
        s.growth.map((g) => [g.runs, g.suites, g.wallS, g.wallPerRunMs, g.workerPeakRssMiB])
      ),
      ''
    );
  }
  if (r.steps) {
    out.push('## 2. Per-step overhead', '');
    out.push(
      table(
        ['step', 'n', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms'],
        [
          ['SDK minimum (empty activity, bare workflow)', r.steps.bareMs],
          ['harness step (kit proxy → `now`)', r.steps.harnessMs],
        ].map(([n, d]) => {
          const x = d as typeof r.steps.bareMs;
          return [n as string, x.n, x.p50, x.p90, x.p99, x.max];
        })
      ),
      ''
    );
  }
  if (r.scale) {
    out.push('## 3. Worker scale (one worker, parked scenario-like workflows)', '');
    const dnf = r.scale.didNotFit;
    if (dnf)
      out.push(
        `${dnf.workflows} did not fit: ${dnf.parked} of them had parked after ${dnf.afterS} s (worker RSS then ${dnf.workerRssMiB} MiB); larger sizes were not tried.`,
        ''
      );
    out.push(
      table(
        [
          'workflows',
          'park s',
          'RSS parked MiB',
          'peak RSS MiB',
          'task sched→start p50/p99 ms',
          'task sched→complete p50/p99 ms',
          'sticky share',
        ],
        r.scale.points.map((p) => [
          p.workflows,
          p.parkS,
          p.parkedRssMiB,
          p.workerPeakRssMiB,
          `${p.taskToStartMs.p50} / ${p.taskToStartMs.p99}`,
          `${p.taskToCompleteMs.p50} / ${p.taskToCompleteMs.p99}`,
          p.stickyShare,
        ])
      ),
      ''
    );
  }
  if (r.sim) {
    const x = r.sim;
    out.push('## 3b. Simulator holding live instances', '');
    out.push(
      `${x.live} live of ${x.requested} requested (${x.refused} refused${x.firstRefusal ? `: ${x.firstRefusal}` : ''}). RSS ${x.rssIdleMiB} → ${x.rssLoadedMiB} MiB (peak ${x.peakRssMiB}). Create p50/p99 ${x.createMs.p50} / ${x.createMs.p99} ms.`,
      ''
    );
    out.push(
      table(
        ['read', 'idle p50/p99 ms', `${x.live} live p50/p99 ms`, 'p99 ratio'],
        [
          [
            'GET one instance',
            `${x.getIdleMs.p50} / ${x.getIdleMs.p99}`,
            `${x.getLoadedMs.p50} / ${x.getLoadedMs.p99}`,
            x.getSlowdownP99,
          ],
          [
            'list all instances',
            `${x.listIdleMs.p50} / ${x.listIdleMs.p99}`,
            `${x.listLoadedMs.p50} / ${x.listLoadedMs.p99}`,
            x.listSlowdownP99,
          ],
        ]
      ),
      ''
    );
  }
  if (r.startup) {
    out.push('## 6. Start-up', '');
    out.push(
      `Worker ready: ${r.startup.bundlingS} s bundling at start, ${r.startup.prebuiltS} s with the prebuilt bundle (samples ${r.startup.prebuiltSamplesS.join(', ')} s): ${r.startup.speedup}× faster. CPU time until ready: ${r.startup.bundlingCpuS} s against ${r.startup.prebuiltCpuS} s.`,
      ''
    );
  }
  const errors = [...r.errors, ...(r.suites?.errors ?? []).map((error) => ({ benchmark: 'suites', error }))];
  if (errors.length) {
    out.push('## Benchmarks that failed', '');
    for (const e of errors) out.push(`- ${e.benchmark}: ${e.error.split('\n')[0]}`);
    out.push('');
  }
  return out.join('\n');
}
