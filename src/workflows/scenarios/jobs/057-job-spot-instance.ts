import { defineScenario } from '../../kit';
import { awaitJob, checkCompleted, JOB_GPU, recordJobMetrics, secondsBetween, sleepArg, submitJob } from './helpers';

/** Platform seconds the spot job runs. */
const RUN_SECONDS = 120;
/** The least saving over on-demand that counts as spot pricing, percent. */
const MIN_SAVING_PERCENT = 10;

/** 57 — A spot job costs less than the same GPU on demand for the time it ran. */
export const jobSpotInstanceScenario = defineScenario(57, 'job-spot-instance', async (ctx) => {
  const submitted = await submitJob(ctx, 'job', {
    command: `sleep ${sleepArg(ctx, RUN_SECONDS)}; echo done`,
    use_spot: true,
  });
  const job = await awaitJob(ctx, submitted, 'finished', 900 + RUN_SECONDS * 2);
  checkCompleted(ctx, job);
  recordJobMetrics(ctx, job);
  // Read after the job: its instance is gone, so its offer is back on the market with the on-demand prices.
  const onDemand = await ctx.steps.onDemandPrice({ gpuName: JOB_GPU, numGpus: 1 });
  const ran = secondsBetween(job.startedAtMs, job.completedAtMs) ?? 0;
  const onDemandCost = onDemand === null ? null : (onDemand * ran) / 3600;
  const spotCost = job.totalCost ?? 0;
  const saving = onDemandCost ? (1 - spotCost / onDemandCost) * 100 : 0;
  ctx.limit({
    id: 'spot-saving',
    what: `spot saving over the cheapest on-demand ${JOB_GPU} for the ${Math.round(ran)} s it ran`,
    measured: saving,
    op: '>=',
    limit: MIN_SAVING_PERCENT,
    unit: '%',
    note: `spot $${spotCost.toFixed(6)} vs on-demand ${onDemand === null ? 'unavailable' : `$${onDemandCost!.toFixed(6)} at $${onDemand}/h`}`,
  });
  if (onDemandCost !== null) ctx.metric('onDemandCostCents', onDemandCost * 100);
  ctx.metric('spotSavingPercent', saving);
});
