/**
 * One suite run through the real CLI (`dumont-e2e run --target sim`) against the bench's stack, measured from the
 * Temporal server's own timestamps: the suite's and each scenario child's start and close.
 */
import type { Client } from '@temporalio/client';
import path from 'node:path';
import type { SuiteResult } from '../../src/workflows/types';
import { memoryOf, runCli } from './proc';
import type { BenchStack } from './stack';

/** A suite run's figures. Times in ms; the wall breakdown adds up to `wallMs`. */
export interface SuiteRun {
  suiteId: string;
  select: string;
  /** `default` when the CLI chose it. */
  maxParallel: number | 'default';
  scenarios: number;
  exitCode: number;
  /** Suite workflow start → close on the server. */
  wallMs: number;
  /** The longest scenario child, start → close. */
  longestMs: number;
  longest: string;
  /** Sum of the scenarios' own durations (start → close of each child). */
  sumMs: number;
  breakdown: {
    /** Suite start → first child start (input checks, selection, the first `now`). */
    startLagMs: number;
    /** The longest child's own duration. */
    longestMs: number;
    /** Last child close − (first child start + longest): what packing and contention add past the critical path. */
    straggleMs: number;
    /** Last child close → suite close: the final sweep and audit. */
    tailMs: number;
  };
  /** CLI spawn → exit, and spawn → its first scenario result line (stack start included when it started one). */
  cliMs: number;
  firstResultMs?: number;
  /** Peak resident memory of the stack's worker while this run lasted (sampled every 250 ms). */
  workerPeakRssBytes?: number;
  result: SuiteResult;
  /** Children as the server saw them. */
  children: { id: string; startMs: number; closeMs: number }[];
}

/** Options of {@link runSuite}. */
export interface SuiteRunOptions {
  select: string;
  maxParallel?: number;
  log?: (line: string) => void;
  timeoutMs?: number;
  /**
   * Run against the stack's server and worker as they are (TEMPORAL_ADDRESS), without the CLI's stack check: for
   * suites started together, whose stack checks would race for the stack's lock.
   */
  attach?: boolean;
}

/** Runs several suites at once (distinct suite ids), sampling the worker's memory meanwhile. */
export async function runSuites(
  stack: BenchStack,
  client: Client,
  runs: SuiteRunOptions[]
): Promise<{ runs: SuiteRun[]; workerPeakRssBytes?: number }> {
  let peak = 0;
  const sample = async () => {
    const pid = (await stack.pids()).worker;
    const mem = pid ? memoryOf(pid) : undefined;
    if (mem && mem.current > peak) peak = mem.current;
  };
  const timer = setInterval(() => void sample(), 250);
  try {
    // Every run to its end before any failure is reported: none is left running behind the bench's back.
    const settled = await Promise.allSettled(runs.map((r, i) => runSuiteOnce(stack, client, r, i)));
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    const done = settled.map((s) => (s as PromiseFulfilledResult<SuiteRun>).value);
    await sample();
    for (const r of done) r.workerPeakRssBytes = peak || undefined;
    return { runs: done, workerPeakRssBytes: peak || undefined };
  } finally {
    clearInterval(timer);
  }
}

async function runSuiteOnce(stack: BenchStack, client: Client, opts: SuiteRunOptions, n: number): Promise<SuiteRun> {
  const reports = path.join(stack.dataDir, 'reports', `${Date.now()}-${n}`);
  const args = ['run', '--target', 'sim', '--select', opts.select, '--keep-stack'];
  if (opts.maxParallel !== undefined) args.push('--max-parallel', String(opts.maxParallel));
  args.push(
    '--json',
    path.join(reports, 'report.json'),
    '--junit',
    path.join(reports, 'junit.xml'),
    '--html',
    path.join(reports, 'report.html')
  );
  const env = opts.attach ? { ...stack.env, TEMPORAL_ADDRESS: stack.temporalAddress } : stack.env;
  const cli = await runCli(args, env, {
    watch: { firstResult: /^\[\s*1\/\d+\]/ },
    log: opts.log,
    timeoutMs: opts.timeoutMs,
  });
  const suiteId = cli.lines.map((l) => /^suite (\S+): \d+ scenarios/.exec(l)?.[1]).find(Boolean);
  if (!suiteId)
    throw new Error(
      `run --select ${opts.select} started no suite (exit ${cli.code}):\n${cli.lines.slice(-15).join('\n')}`
    );
  const handle = client.workflow.getHandle(suiteId);
  const result = (await handle.result()) as SuiteResult;
  const suite = await handle.describe();
  const children: SuiteRun['children'] = [];
  for await (const wf of client.workflow.list({ query: `E2ESuiteId = "${suiteId}" AND WorkflowId != "${suiteId}"` })) {
    if (!wf.closeTime) throw new Error(`scenario ${wf.workflowId} still open after its suite closed`);
    children.push({ id: wf.workflowId, startMs: wf.startTime.getTime(), closeMs: wf.closeTime.getTime() });
  }
  if (!children.length) throw new Error(`suite ${suiteId} ran no scenario`);
  const suiteStart = suite.startTime.getTime();
  const suiteClose = suite.closeTime!.getTime();
  const firstStart = Math.min(...children.map((c) => c.startMs));
  const lastClose = Math.max(...children.map((c) => c.closeMs));
  const longestChild = children.reduce((a, b) => (b.closeMs - b.startMs > a.closeMs - a.startMs ? b : a));
  const longestMs = longestChild.closeMs - longestChild.startMs;
  return {
    suiteId,
    select: opts.select,
    maxParallel: opts.maxParallel ?? 'default',
    scenarios: children.length,
    exitCode: cli.code,
    wallMs: suiteClose - suiteStart,
    longestMs,
    longest: longestChild.id.split('/').pop()!,
    sumMs: children.reduce((s, c) => s + c.closeMs - c.startMs, 0),
    breakdown: {
      startLagMs: firstStart - suiteStart,
      longestMs,
      straggleMs: lastClose - firstStart - longestMs,
      tailMs: suiteClose - lastClose,
    },
    cliMs: cli.ms,
    firstResultMs: cli.marks.firstResult,
    result,
    children,
  };
}
