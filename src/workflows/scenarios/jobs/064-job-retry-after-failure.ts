import { defineScenario } from '../../kit';
import { awaitJob, checkCompleted, logsOf, recordJobMetrics, submitJob } from './helpers';

/**
 * Fails its first run and succeeds on any later one: the platform says which run it is (`DUMONT_JOB_ATTEMPT`, an
 * extension; a platform without retries never gets past the first).
 */
const COMMAND =
  'echo "attempt ${DUMONT_JOB_ATTEMPT:-1} starting"; ' +
  'if [ "${DUMONT_JOB_ATTEMPT:-1}" -lt 2 ]; then echo "attempt ${DUMONT_JOB_ATTEMPT:-1} failing" >&2; exit 3; fi; ' +
  'echo "attempt ${DUMONT_JOB_ATTEMPT} succeeded"';

/** 64 — A job that fails its first attempt is retried automatically and succeeds, both attempts visible. */
export const jobRetryAfterFailureScenario = defineScenario(64, 'job-retry-after-failure', async (ctx) => {
  const submitted = await submitJob(ctx, 'job', { command: COMMAND, max_retries: 2 });
  const job = await awaitJob(ctx, submitted, 'finished', 2400);
  const attempts = job.attempts ?? [];
  const first = attempts[0];
  const last = attempts[attempts.length - 1];
  ctx.check(
    'retried-and-succeeded',
    'the first attempt failed and a retry succeeded',
    job.status === 'completed' && attempts.length >= 2 && first.status === 'failed' && last.status === 'completed',
    job.attempts === null
      ? `platform lacks retries: no attempts in the job (status ${job.status})`
      : attempts
          .map((a) => `#${a.attempt} ${a.status}${a.exitCode !== null ? ` (exit ${a.exitCode})` : ''}`)
          .join(', ') || `no attempt (status ${job.status})`
  );
  checkCompleted(ctx, job);
  const logs = await logsOf(ctx, job);
  ctx.check(
    'attempts-visible',
    'both attempts show in the logs, each on its own instance',
    logs.includes('attempt 1 failing') &&
      logs.includes('succeeded') &&
      attempts.length >= 2 &&
      first.instanceId !== last.instanceId,
    `instances ${attempts.map((a) => a.instanceId).join(', ') || 'none'}`
  );
  ctx.metric('jobAttempts', attempts.length);
  recordJobMetrics(ctx, job);
});
