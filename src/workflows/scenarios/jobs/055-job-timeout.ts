import { defineScenario } from '../../kit';
import { awaitJob, checkInstanceGone, logsOf, recordJobMetrics, secondsBetween, sleepArg, submitJob } from './helpers';

/** The job's own length and its timeout, platform seconds (the seed: a 5-minute job, a 2-minute timeout). */
const JOB_SECONDS = 300;
const TIMEOUT_MINUTES = 2;
/** How long after the timeout the platform may take to stop the job and end its bill. */
const STOP_SLACK_SECONDS = 60;

/** 55 — A five-minute job with a two-minute timeout is stopped at the timeout, and billed only for that. */
export const jobTimeoutScenario = defineScenario(55, 'job-timeout', async (ctx) => {
  const ticks = JOB_SECONDS / 10;
  const command = `for i in $(seq 1 ${ticks}); do echo "tick $i of ${ticks}"; sleep ${sleepArg(ctx, 10)}; done; echo finished`;
  const submitted = await submitJob(ctx, 'job', { command, timeout: TIMEOUT_MINUTES });
  const job = await awaitJob(ctx, submitted, 'finished', 900 + JOB_SECONDS * 2);
  const timeout = TIMEOUT_MINUTES * 60;
  const ran = secondsBetween(job.startedAtMs, job.completedAtMs);
  const finishedAll = (await logsOf(ctx, job)).includes('finished');
  ctx.check(
    'stopped-at-timeout',
    'the platform stopped the job at its timeout (status timeout, the command did not finish)',
    job.status === 'timeout' && !finishedAll,
    `status ${job.status}; ran ${ran === null ? '?' : Math.round(ran)} s of a ${JOB_SECONDS} s job${finishedAll ? '; the command ran to its end' : ''}`
  );
  const measured = ran ?? 0;
  ctx.limit({
    id: 'not-before-timeout',
    what: 'run time before the stop',
    measured,
    op: '>=',
    limit: timeout,
    unit: 's',
  });
  ctx.limit({
    id: 'not-long-after-timeout',
    what: 'run time before the stop',
    measured,
    op: '<=',
    limit: timeout + STOP_SLACK_SECONDS,
    unit: 's',
  });
  const billedSeconds = job.gpuHours === null ? Infinity : job.gpuHours * 3600;
  ctx.limit({
    id: 'billed-until-timeout',
    what: 'GPU-seconds billed',
    measured: billedSeconds,
    op: '<=',
    limit: timeout + STOP_SLACK_SECONDS,
    unit: 's',
  });
  recordJobMetrics(ctx, job);
  await checkInstanceGone(ctx, job, 'instance-destroyed', "the timed-out job's instance was destroyed");
});
