import { parseArgs } from 'node:util';
import { selectScenarios } from '../../src/catalog/selection';

/**
 * `--short`: one or two scenarios from each of several categories (lifecycle, serverless, failover, snapshots, jobs,
 * market, edge), enough work that three workers share it and a crash lands mid-run, in a few minutes.
 */
export const SHORT_SELECT = '1,11,16,30,43,53,85,96';

/** Worker processes by default: docker-compose.yml runs as many replicas (tests/stack/compose.test.ts). */
export const DEFAULT_WORKERS = 3;

/** Fewest scenarios a run may select: the disruptions fire after a quarter and after half of them finished. */
export const MIN_SCENARIOS = 3;

/** Options of `npm run cluster`, validated. */
export interface ClusterOptions {
  select: string;
  /** Scenario ids the selection names. */
  selected: number[];
  workers: number;
  maxParallel: number;
  timeScale: number;
  keep: boolean;
  buildOnly: boolean;
  help: boolean;
}

export const CLUSTER_HELP = `Usage: npm run cluster -- [options]

Runs the suite on a real Temporal deployment, no Docker: the Temporal server built from its Go module
(go.temporal.io/server, pinned in scripts/cluster/versions.ts; cached in .tools/cluster/, built once with the
machine's Go) on PostgreSQL from the machine (a private data dir on a free loopback port, schemas set up by
temporal-sql-tool), the simulator, and several 'dumont-e2e worker' processes. Mid-run it kills one worker with
SIGKILL, then kills the Temporal server with SIGKILL and starts it again (the killed worker comes back after it).
It passes when every scenario passed, none was lost (all reached a terminal state, no workflow of the suite is
still open), nothing leaked (the suite's final sweep and the simulator agree), every worker started tasks
(WorkflowTaskStarted/ActivityTaskStarted identities in the histories) and both disruptions landed mid-run.
Logs, reports and summary.json go to reports/cluster/; every process and the data dir are removed at the end.

Options:
  --select EXPR        scenarios, as 'dumont-e2e run --select' (default all; at least 3)
  --short              the CI selection: ${SHORT_SELECT}
  --workers N          worker processes, 2..8 (default 3)
  --max-parallel N     scenarios at once, 1..100 (default 6)
  --time-scale X       simulator clock, (0, 10] (default 0.02)
  --keep               leave the data dir (PostgreSQL, config) in place and print where it is
  --build-only         build (or find) the server binaries and stop: the setup step for CI
  -h, --help           this help
Exit: 0 pass, 1 a rule broken (listed), 2 bad option or missing prerequisite (Go, PostgreSQL).
`;

function intIn(name: string, raw: string | undefined, min: number, max: number, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`--${name} must be an integer in ${min}..${max}, got '${raw}'`);
  return n;
}

/** Parses and validates argv. @throws Error naming the bad flag and value. */
export function parseClusterFlags(argv: string[]): ClusterOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      select: { type: 'string' },
      short: { type: 'boolean' },
      workers: { type: 'string' },
      'max-parallel': { type: 'string' },
      'time-scale': { type: 'string' },
      keep: { type: 'boolean' },
      'build-only': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.short && values.select !== undefined) throw new Error('--short and --select exclude each other');
  const select = values.short ? SHORT_SELECT : (values.select ?? 'all');
  let selected: number[];
  try {
    selected = selectScenarios(select).map((s) => s.id);
  } catch (err) {
    throw new Error(`--select: ${(err as Error).message}`);
  }
  if (selected.length < MIN_SCENARIOS) {
    throw new Error(
      `--select '${select}' names ${selected.length} scenario(s): the cluster run needs at least ${MIN_SCENARIOS}, ` +
        'so that the worker kill and the server restart land while scenarios still run'
    );
  }
  const rawScale = values['time-scale'];
  const timeScale = rawScale === undefined ? 0.02 : Number(rawScale);
  if (!(timeScale > 0 && timeScale <= 10)) throw new Error(`--time-scale must be in (0, 10], got '${rawScale}'`);
  return {
    select,
    selected,
    workers: intIn('workers', values.workers, 2, 8, DEFAULT_WORKERS),
    maxParallel: intIn('max-parallel', values['max-parallel'], 1, 100, 6),
    timeScale,
    keep: values.keep ?? false,
    buildOnly: values['build-only'] ?? false,
    help: values.help ?? false,
  };
}
