/**
 * The local run history: one JSON line per finished suite run in `<data dir>/run-history.jsonl` (no server). The
 * suite appends its run when it writes its reports; `dumont-e2e report` appends a closed suite it rebuilt. Reports
 * read it for flaky / new-failure / fixed marks and trends; plans and scheduling read scenario durations from it.
 */
import { execFileSync } from 'node:child_process';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { REPO_ROOT } from '../../config';
import type { ScenarioStatus, SuiteResult, Target } from '../../workflows/types';

/** One scenario of a run, as the history keeps it. */
export interface HistoryScenario {
  id: number;
  slug: string;
  category: string;
  status: ScenarioStatus;
  durationMs: number;
  gpuSeconds: number;
  costUsd: number;
}

/** One finished suite run. */
export interface HistoryRun {
  suiteId: string;
  target: Target;
  select: string;
  /** ISO 8601. */
  finishedAt: string;
  /** The harness's code: its git commit, else `package@<version>`; flaky means "flipped without a code change". */
  codeVersion: string;
  /** How the suite closed: `completed`, `cancelled`… */
  state: string;
  wallMs: number;
  costUsd: number;
  leaked: number;
  scenarios: HistoryScenario[];
}

/** The history file under a data directory. */
export function historyFile(dataDir: string): string {
  return path.join(dataDir, 'run-history.jsonl');
}

let cachedVersion: string | undefined;

/** This checkout's git commit (`git rev-parse HEAD`), else `dumont-e2e@<package version>`. */
export function codeVersion(): string {
  if (cachedVersion) return cachedVersion;
  try {
    cachedVersion = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8', stdio: 'pipe' })
      .trim()
      .slice(0, 12);
  } catch {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    cachedVersion = `dumont-e2e@${(require(path.join(REPO_ROOT, 'package.json')) as { version: string }).version}`;
  }
  return cachedVersion;
}

/** A suite's result as a history line. */
export function historyRunOf(
  result: SuiteResult,
  meta: { state: string; finishedAt: string; codeVersion?: string; leaked: number }
): HistoryRun {
  return {
    suiteId: result.suiteId,
    target: result.target,
    select: result.select,
    finishedAt: meta.finishedAt,
    codeVersion: meta.codeVersion ?? codeVersion(),
    state: meta.state,
    wallMs: result.wallMs,
    costUsd: Number(result.scenarios.reduce((n, s) => n + s.costUsd, 0).toFixed(6)),
    leaked: meta.leaked,
    scenarios: result.scenarios.map((s) => ({
      id: s.id,
      slug: s.slug,
      category: s.category,
      status: s.status,
      durationMs: s.durationMs,
      gpuSeconds: s.gpuSeconds,
      costUsd: s.costUsd,
    })),
  };
}

/**
 * Appends `run` to the history file (creating it). A suite already recorded is not appended again, so the suite's
 * own report step and a later `dumont-e2e report` of it leave one line. Resolves to whether a line was added.
 */
export async function appendRun(file: string, run: HistoryRun): Promise<boolean> {
  const known = await readRuns(file);
  if (known.some((r) => r.suiteId === run.suiteId)) return false;
  await mkdir(path.dirname(file), { recursive: true });
  // One write of one line: appends of whole lines from two processes do not interleave on local file systems.
  await appendFile(file, `${JSON.stringify(run)}\n`, 'utf8');
  return true;
}

/** Options of {@link readRuns}. */
export interface ReadRunsOptions {
  /** Only the last N runs. @default all */
  last?: number;
  /** Only runs on this target (a simulator run says nothing about the real platform). */
  target?: Target;
}

/**
 * The recorded runs, oldest first (by their order in the file, which is the order they finished in). A missing file
 * is an empty history; an unreadable line (a run cut short while writing) is skipped.
 *
 * Readers: reports (marks and trends), and anything that wants measured durations per scenario
 * (see {@link scenarioStats}).
 */
export async function readRuns(file: string, options: ReadRunsOptions = {}): Promise<HistoryRun[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const runs: HistoryRun[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const run = JSON.parse(line) as HistoryRun;
      if (typeof run.suiteId === 'string' && Array.isArray(run.scenarios)) runs.push(run);
    } catch {
      // a torn last line
    }
  }
  const selected = options.target ? runs.filter((r) => r.target === options.target) : runs;
  return options.last !== undefined ? selected.slice(-options.last) : selected;
}

/** A scenario's measurements over the runs that ran it to a verdict (passed or failed). */
export interface ScenarioStats {
  id: number;
  /** How many runs the figures come from. */
  runs: number;
  /** Median wall time of the scenario, ms. */
  medianDurationMs: number;
  meanGpuSeconds: number;
  meanCostUsd: number;
  /** The most recent run's figures. */
  lastDurationMs: number;
}

/**
 * Per scenario id, its measured duration, GPU time and cost over `runs` (e.g. `readRuns(file, { last: 10, target })`);
 * skipped and not-implemented outcomes are left out (they measured nothing). For plans (estimates refined by history)
 * and longest-first scheduling.
 */
export function scenarioStats(runs: readonly HistoryRun[]): Map<number, ScenarioStats> {
  const byId = new Map<number, HistoryScenario[]>();
  for (const run of runs) {
    for (const s of run.scenarios) {
      if (s.status !== 'passed' && s.status !== 'failed') continue;
      byId.set(s.id, [...(byId.get(s.id) ?? []), s]);
    }
  }
  const out = new Map<number, ScenarioStats>();
  for (const [id, list] of byId) {
    const durations = list.map((s) => s.durationMs).sort((a, b) => a - b);
    const mid = Math.floor(durations.length / 2);
    const median = durations.length % 2 ? durations[mid]! : (durations[mid - 1]! + durations[mid]!) / 2;
    out.set(id, {
      id,
      runs: list.length,
      medianDurationMs: median,
      meanGpuSeconds: list.reduce((n, s) => n + s.gpuSeconds, 0) / list.length,
      meanCostUsd: list.reduce((n, s) => n + s.costUsd, 0) / list.length,
      lastDurationMs: list.at(-1)!.durationMs,
    });
  }
  return out;
}
