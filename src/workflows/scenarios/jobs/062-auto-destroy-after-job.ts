import { defineScenario } from '../../kit';
import { awaitJob, checkCompleted, checkInstanceGone, recordJobMetrics, submitJob } from './helpers';

/** 62 — When a job finishes, the platform destroys its GPU instance without any call from the harness. */
export const autoDestroyAfterJobScenario = defineScenario(62, 'auto-destroy-after-job', async (ctx) => {
  const submitted = await submitJob(ctx, 'job', {
    command: 'echo trained > result.txt && cat result.txt',
    auto_destroy: true,
  });
  const job = await awaitJob(ctx, submitted, 'finished', 1200);
  checkCompleted(ctx, job);
  recordJobMetrics(ctx, job);
  // Nothing but waiting: the harness destroys only in its cleanup, after this check.
  await checkInstanceGone(ctx, job, 'platform-destroyed', 'the platform destroyed the instance once the job ended');
});
