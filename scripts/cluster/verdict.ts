/**
 * The cluster run's verdict, from facts gathered after the suite closed: pure functions, so tests can show each rule
 * fails when its fact is wrong.
 */

/** Tasks one worker process (by its Temporal identity) started, read from workflow histories. */
export interface WorkerShare {
  workflowTasks: number;
  activityTasks: number;
  /** Workflow ids of the scenarios (and the suite) where it started at least one task. */
  workflows: Set<string>;
}

/** A history event as far as identities go (the proto's shape, only the fields we read). */
export interface IdentityEvent {
  /** When the event was written (proto Timestamp; seconds may arrive as a Long). */
  eventTime?: { seconds?: number | { toString(): string } | null; nanos?: number | null } | null;
  workflowTaskStartedEventAttributes?: { identity?: string | null } | null;
  activityTaskStartedEventAttributes?: { identity?: string | null } | null;
}

/**
 * Who started which tasks: `WorkflowTaskStarted` and `ActivityTaskStarted` identities across `histories`
 * (workflow id → events), attributed to worker names by `nameOf` (identity → name; unknown identities keep theirs).
 */
export function workerShares(
  histories: Map<string, IdentityEvent[]>,
  nameOf: (identity: string) => string
): Map<string, WorkerShare> {
  const shares = new Map<string, WorkerShare>();
  const share = (identity: string): WorkerShare => {
    const name = nameOf(identity);
    let s = shares.get(name);
    if (!s) shares.set(name, (s = { workflowTasks: 0, activityTasks: 0, workflows: new Set() }));
    return s;
  };
  for (const [workflowId, events] of histories) {
    for (const e of events) {
      const wft = e.workflowTaskStartedEventAttributes?.identity;
      const act = e.activityTaskStartedEventAttributes?.identity;
      if (wft) {
        const s = share(wft);
        s.workflowTasks++;
        s.workflows.add(workflowId);
      }
      if (act) {
        const s = share(act);
        s.activityTasks++;
        s.workflows.add(workflowId);
      }
    }
  }
  return shares;
}

/** Workflow and activity tasks started after `sinceMs` (epoch ms) across `histories`. */
export function tasksStartedAfter(histories: Map<string, IdentityEvent[]>, sinceMs: number): number {
  let n = 0;
  for (const events of histories.values()) {
    for (const e of events) {
      const started = e.workflowTaskStartedEventAttributes?.identity || e.activityTaskStartedEventAttributes?.identity;
      const ms = Number(String(e.eventTime?.seconds ?? 0)) * 1000 + (e.eventTime?.nanos ?? 0) / 1e6;
      if (started && ms > sinceMs) n++;
    }
  }
  return n;
}

/** A disruption the run made, with the suite's progress when it happened. */
export interface Disruption {
  what: string;
  done: number;
  total: number;
  /** When (epoch ms). */
  atMs: number;
}

/** Everything the verdict looks at. */
export interface ClusterFacts {
  /** Scenario ids the selection named. */
  selected: number[];
  /** Scenario results of the suite's report (id and status). */
  results: { id: number; status: string }[];
  /** Workflows of the suite still open after it closed (visibility: `E2ESuiteId = id AND ExecutionStatus = 'Running'`). */
  stillRunning: number;
  /** Resources the suite reported leaked (its final sweep's view). */
  reportedLeaks: number;
  /** Instances and volumes the simulator still holds (its own view). */
  simAlive: number;
  /** Worker names that were started at the beginning (all must have taken work). */
  workers: string[];
  shares: Map<string, WorkerShare>;
  disruptions: Disruption[];
  /** Disruptions the run had to make (e.g. 'worker SIGKILL', 'server restart'). */
  requiredDisruptions: string[];
  /** `dumont-e2e run`'s exit code: it must live through the disruptions and write its reports. */
  runExit: number;
  /** Tasks started after the server came back ({@link tasksStartedAfter}): the restarted server served the run. */
  tasksAfterRestart: number;
}

/** The figures and the list of broken rules; the run passes when `problems` is empty. */
export interface ClusterVerdict {
  lost: number;
  leaked: number;
  passed: number;
  failed: number;
  problems: string[];
}

const TERMINAL = new Set(['passed', 'failed', 'skipped', 'not-implemented']);

/** Applies the rules: nothing lost, nothing leaked, every scenario passed, every worker worked, every disruption mid-run. */
export function clusterVerdict(f: ClusterFacts): ClusterVerdict {
  const problems: string[] = [];
  const byId = new Map(f.results.map((r) => [r.id, r.status]));
  const missing = f.selected.filter((id) => !TERMINAL.has(byId.get(id) ?? ''));
  const lost = missing.length + f.stillRunning;
  if (missing.length) problems.push(`${missing.length} scenario(s) without a terminal result: ${missing.join(', ')}`);
  if (f.stillRunning) problems.push(`${f.stillRunning} workflow(s) of the suite still running after it closed`);
  const leaked = Math.max(f.reportedLeaks, f.simAlive);
  if (f.reportedLeaks) problems.push(`the suite reported ${f.reportedLeaks} leaked resource(s)`);
  if (f.simAlive) problems.push(`the simulator still holds ${f.simAlive} instance(s)/volume(s)`);
  const passed = f.results.filter((r) => r.status === 'passed').length;
  const failed = f.results.filter((r) => r.status !== 'passed').length;
  if (failed) problems.push(`${failed} scenario(s) did not pass`);
  for (const name of f.workers) {
    const s = f.shares.get(name);
    if (!s || s.workflowTasks + s.activityTasks === 0) problems.push(`${name} started no task in any history`);
  }
  for (const what of f.requiredDisruptions) {
    const d = f.disruptions.find((x) => x.what === what);
    if (!d) problems.push(`${what}: never happened`);
    else if (d.done >= d.total)
      problems.push(`${what}: happened after every scenario had finished (${d.done}/${d.total})`);
  }
  if (f.runExit !== 0) problems.push(`dumont-e2e run exited ${f.runExit}`);
  if (f.disruptions.some((d) => d.what === 'server restart') && f.tasksAfterRestart === 0) {
    problems.push('no workflow or activity task started after the server restart');
  }
  return { lost, leaked, passed, failed, problems };
}
