/** The bench's command line and sizes: one place, with documented defaults, validated. */
import { parseArgs } from 'node:util';
import path from 'node:path';
import { REPO_ROOT } from './proc';

/** How big each benchmark is. */
export interface BenchSizes {
  /** First suite: it starts the stack (start-up figure) and is the smallest growth point. */
  warmupSelect: string;
  /** The headline run at default settings: suite wall ÷ longest scenario, cost per category. */
  headlineSelect: string;
  /** Selection and --max-parallel values of the parallelism sweep (100 = unlimited: the CLI's maximum). */
  sweepSelect: string;
  sweepParallel: number[];
  /** Copies of the headline selection run at once under distinct suite ids: the largest growth point. */
  growthCopies: number;
  /** Parked scenario-like workflows on one worker, per point. */
  parked: number[];
  /** Sequential steps per workflow for the per-step overhead. */
  steps: number;
  /** Live instances the simulator holds in the simulator-scale benchmark. */
  simInstances: number;
}

export const SIZES: Record<'quick' | 'full', BenchSizes> = {
  quick: {
    warmupSelect: '1,2',
    headlineSelect: '1,2,6',
    sweepSelect: '1,2,6',
    sweepParallel: [1, 100],
    growthCopies: 2,
    parked: [50],
    steps: 40,
    simInstances: 50,
  },
  full: {
    warmupSelect: '1-10',
    headlineSelect: 'all',
    sweepSelect: 'lifecycle',
    sweepParallel: [1, 4, 16, 100],
    growthCopies: 2,
    parked: [100, 500, 1000],
    steps: 200,
    simInstances: 1000,
  },
};

/** The benchmarks, in run order. */
export const BENCHMARKS = ['suites', 'steps', 'scale', 'sim', 'startup'] as const;
export type Benchmark = (typeof BENCHMARKS)[number];

export interface BenchOptions {
  mode: 'quick' | 'full';
  sizes: BenchSizes;
  only: Benchmark[];
  outDir: string;
}

export const HELP = `Usage: npm run bench -- [options]

Runs the benchmarks on a private embedded stack (its own data dir and free ports), prints a table and writes
bench/results/<date>.json and <date>.md. Every figure is a ratio or distribution measured side by side in one run;
absolute times are for information. See docs/performance.md for the method behind each figure.

Options:
  --quick          small sizes (about 3 minutes on 2 busy cores): for development, and to check the bench works
  --only LIST      comma-separated subset of ${BENCHMARKS.join(',')} (default all)
  --growth-copies N
                   copies of the headline selection run at once for the largest growth point (1-20; default 2 in
                   the full bench = 200 scenario runs, 10 = 1,000 runs, about 5 times the headline's wall: it does
                   not fit the bench's 15 minutes on 2 cores, so it is opt-in)
  --out DIR        where results go (default bench/results)
  --render FILE    write FILE's markdown summary again from its JSON (FILE.json → FILE.md), run nothing
  -h, --help       this help
`;

/** Parses argv; throws an Error naming a bad value. */
export function parseBenchArgs(argv: string[]): BenchOptions | 'help' | { render: string } {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean' },
      only: { type: 'string' },
      out: { type: 'string' },
      'growth-copies': { type: 'string' },
      render: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  if (values.render !== undefined) {
    if (!values.render.endsWith('.json'))
      throw new Error(`--render ${JSON.stringify(values.render)}: expected a .json results file`);
    return { render: path.resolve(values.render) };
  }
  const only = values.only ? values.only.split(',').map((s) => s.trim()) : [...BENCHMARKS];
  for (const b of only)
    if (!(BENCHMARKS as readonly string[]).includes(b))
      throw new Error(`--only: unknown benchmark ${JSON.stringify(b)} (known: ${BENCHMARKS.join(', ')})`);
  const mode = values.quick ? 'quick' : 'full';
  const sizes = { ...SIZES[mode] };
  if (values['growth-copies'] !== undefined) {
    const n = Number(values['growth-copies']);
    if (!Number.isInteger(n) || n < 1 || n > 20)
      throw new Error(
        `--growth-copies ${JSON.stringify(values['growth-copies'])}: expected a whole number from 1 to 20`
      );
    sizes.growthCopies = n;
  }
  return {
    mode,
    sizes,
    only: only as Benchmark[],
    outDir: path.resolve(values.out ?? path.join(REPO_ROOT, 'bench', 'results')),
  };
}
