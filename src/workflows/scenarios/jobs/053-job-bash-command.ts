import { defineScenario } from '../../kit';
import { awaitJob, checkCompleted, checkInstanceGone, JOB_GPU, logsOf, recordJobMetrics, submitJob } from './helpers';

/** 53 — A job running `nvidia-smi` completes and its captured output names the GPU it asked for. */
export const jobBashCommandScenario = defineScenario(53, 'job-bash-command', async (ctx) => {
  const submitted = await submitJob(ctx, 'job', { command: 'nvidia-smi' });
  const job = await awaitJob(ctx, submitted, 'finished', 1200);
  checkCompleted(ctx, job);
  const logs = await logsOf(ctx, job);
  const gpuLine = logs.split('\n').find((l) => l.includes(JOB_GPU));
  ctx.check(
    'output-names-gpu',
    `the captured nvidia-smi output names the job's GPU (${JOB_GPU})`,
    gpuLine !== undefined,
    gpuLine ? gpuLine.trim().slice(0, 120) : `${logs.length} byte(s) of output, none naming ${JOB_GPU}`
  );
  recordJobMetrics(ctx, job);
  await checkInstanceGone(ctx, job, 'instance-destroyed', "the job's instance was destroyed at its end");
});
