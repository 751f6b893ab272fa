import type { ClusterVerdict, Disruption, WorkerShare } from './verdict';

/** Prints the run's summary: per-worker share of the tasks, disruptions, the figures, then PASS or the broken rules. */
export function printSummary(s: {
  log: (line: string) => void;
  suiteId: string;
  runExit: number;
  verdict: ClusterVerdict;
  shares: Map<string, WorkerShare>;
  disruptions: Disruption[];
  workflows: number;
  tasksAfterRestart: number;
  wallMs: number;
  outDir: string;
}): void {
  const { log, verdict: v } = s;
  log('');
  log(`== cluster summary: suite ${s.suiteId} (${s.workflows} workflows read back from visibility)`);
  log('worker      workflow tasks  activity tasks  workflows touched');
  for (const [name, share] of [...s.shares].sort(([a], [b]) => a.localeCompare(b))) {
    log(
      `${name.padEnd(12)}${String(share.workflowTasks).padStart(14)}${String(share.activityTasks).padStart(16)}${String(share.workflows.size).padStart(19)}`
    );
  }
  for (const d of s.disruptions) log(`disruption: ${d.what} at ${d.done}/${d.total} scenarios done`);
  log(`tasks started after the server restart: ${s.tasksAfterRestart}; wall ${Math.round(s.wallMs / 1000)} s`);
  log(
    `scenarios: ${v.passed} passed, ${v.failed} not passed; lost ${v.lost}; leaked ${v.leaked}; dumont-e2e run exit ${s.runExit}`
  );
  if (v.problems.length === 0) log('cluster: PASS');
  else for (const p of v.problems) log(`cluster: FAIL: ${p}`);
  log(`reports and logs: ${s.outDir}`);
}
