import { defineScenario } from '../../kit';
import { awaitJob, checkInstanceGone, recordJobMetrics, submitJob } from './helpers';

/** The exit code of the failing command. */
const EXIT_CODE = 4;

/** 63 — A job whose command fails ends `failed` with an error message, and its instance is destroyed. */
export const cleanupAfterJobFailureScenario = defineScenario(63, 'cleanup-after-job-failure', async (ctx) => {
  const command = `echo "loading dataset"; echo "fatal: dataset not found" >&2; exit ${EXIT_CODE}`;
  const submitted = await submitJob(ctx, 'job', { command });
  const job = await awaitJob(ctx, submitted, 'finished', 1200);
  ctx.check('job-failed', 'the platform reported the job failed', job.status === 'failed', `status ${job.status}`);
  ctx.check(
    'error-reported',
    'the job carries an error message',
    (job.errorMessage ?? '').trim() !== '',
    job.errorMessage ?? 'no error message'
  );
  recordJobMetrics(ctx, job);
  await checkInstanceGone(ctx, job, 'failed-instance-destroyed', "the failed job's instance was destroyed");
});
