/**
 * Steps the job scenarios (53–64) share: submit a job named with its step's label (a retry adopts it by name),
 * wait for it to start or finish within an absolute window, read its logs, record its measured values (queue to
 * start, run time, GPU-hours, cost), and check that its instance is gone from Dumont and VAST.
 */
import { isCancellation } from '@temporalio/workflow';
import type { JobInfo, JobRequest } from '../../../activities/jobs';
import { CheckFailed, messageOf, type ScenarioContext } from '../../kit';

/** The GPU the job scenarios ask for (plenty of single- and dual-GPU offers on the market). */
export const JOB_GPU = 'RTX 3090';

/** Platform seconds a job may take to get its instance and start its command (image pull included). */
export const START_BUDGET_SECONDS = 900;

/** Commands are real processes: a wait on them never gets less than this many real milliseconds. */
const REAL_FLOOR_MS = 120_000;

/** `platformSeconds` as a `sleep` argument inside a job (scaled like the platform's clock on the simulator). */
export function sleepArg(ctx: ScenarioContext, platformSeconds: number): string {
  return String(Math.round(platformSeconds * ctx.timeScale * 1000) / 1000);
}

/** Submits a job for `step` (its name is the step's label); a refusal is the failed check `<step>-submitted`. */
export async function submitJob(
  ctx: ScenarioContext,
  step: string,
  request: Omit<JobRequest, 'name' | 'gpu_type'> & { gpu_type?: string }
): Promise<JobInfo> {
  const check = `${step}-submitted`;
  try {
    const made = await ctx.acquire('job', step, (label) =>
      ctx.steps.submitJob({
        suiteId: ctx.suiteId,
        request: { source: 'command', gpu_type: JOB_GPU, use_spot: false, ...request, name: label },
      })
    );
    ctx.check(check, `${step}: the platform accepted the job`, true, `job ${made.job.id}`);
    if (made.adopted) ctx.warn(`${step}: the submit's answer was lost; adopted job ${made.job.id} by its name`);
    return made.job;
  } catch (err) {
    if (isCancellation(err)) throw err;
    ctx.check(check, `${step}: the platform accepted the job`, false, messageOf(err));
    throw new CheckFailed(check);
  }
}

/**
 * Waits until `job` has started (or finished) or has finished, for at most `budgetSeconds` platform seconds (never
 * less than two real minutes: the job's commands are real processes). Not reached is the failed check `check`.
 */
export async function awaitJob(
  ctx: ScenarioContext,
  job: JobInfo,
  until: 'started' | 'finished',
  budgetSeconds: number,
  check = until === 'started' ? 'job-started' : 'job-finished'
): Promise<JobInfo> {
  const w = await ctx.window(budgetSeconds);
  const window = { ...w, deadlineMs: Math.max(w.deadlineMs, w.startedAtMs + REAL_FLOOR_MS) };
  const res = await ctx.steps.waitJob({ id: job.id, until, ...window });
  ctx.check(
    check,
    until === 'started' ? 'the job started its command' : 'the job reached an end state',
    res.reached,
    `status ${res.job.status} after ${Math.round(res.platformSeconds)} s`
  );
  if (!res.reached) throw new CheckFailed(check);
  return res.job;
}

/** Platform seconds between two of the platform's timestamps (null when one is missing). */
export const secondsBetween = (from: number | null, to: number | null): number | null =>
  from === null || to === null ? null : (to - from) / 1000;

/** Records the job's measured values: queue to start, run time, GPU-hours and cost (the platform's own). */
export function recordJobMetrics(ctx: ScenarioContext, job: JobInfo): void {
  const queued = secondsBetween(job.createdAtMs, job.startedAtMs);
  const ran = secondsBetween(job.startedAtMs, job.completedAtMs);
  if (queued !== null) ctx.metric('jobQueueToStartSeconds', queued);
  if (ran !== null) ctx.metric('jobRunSeconds', ran);
  // GPU-seconds and cents: metrics keep two decimals, and the simulator's jobs cost fractions of a cent.
  if (job.gpuHours !== null) ctx.metric('jobGpuSeconds', job.gpuHours * 3600);
  if (job.totalCost !== null) ctx.metric('jobCostCents', job.totalCost * 100);
}

/** Check `job-completed`: the job ended `completed`. */
export function checkCompleted(ctx: ScenarioContext, job: JobInfo): boolean {
  return ctx.check(
    'job-completed',
    'the job completed',
    job.status === 'completed',
    `status ${job.status}${job.errorMessage ? `: ${job.errorMessage}` : ''}`
  );
}

/** The job's logs as the platform returns them. */
export function logsOf(ctx: ScenarioContext, job: JobInfo): Promise<string> {
  return ctx.steps.jobLogs({ id: job.id });
}

/**
 * Check `check`: the job's instance left the Dumont and VAST lists within `budgetSeconds` platform seconds, without
 * the harness destroying it (the platform's doing).
 */
export async function checkInstanceGone(
  ctx: ScenarioContext,
  job: JobInfo,
  check: string,
  name: string,
  budgetSeconds = 120
): Promise<boolean> {
  if (job.instanceId === null) return ctx.check(check, name, false, 'the platform named no instance for the job');
  const gone = await ctx.steps.waitUntilGone({ instanceId: job.instanceId, ...(await ctx.window(budgetSeconds)) });
  return ctx.check(
    check,
    name,
    gone.gone,
    gone.gone
      ? `instance ${job.instanceId} gone ${Math.round(gone.platformSeconds)} s after the job ended`
      : `instance ${job.instanceId} still listed at ${gone.seenAt.join(' and ')} after ${budgetSeconds} s`
  );
}
