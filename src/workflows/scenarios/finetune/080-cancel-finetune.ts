import { defineScenario, must } from '../../kit';
import { alpacaDataset, awaitJob, describeJob, jobInstance, startJob, trainingBudget, uploadDataset } from './helpers';

/** Steps the job would train: far more than it gets to before the cancel. */
const STEPS = 2000;
/** Platform seconds watched (on the instance before, at the platform after the cancel) for training to go on. */
const WATCH = 20;
/** The training's own progress file on the instance (rank 0), read over SSH. */
const RANK0 = 'cat finetune/ranks/rank-0.json';

/** 80 — Cancel a running fine-tune: it is cancelled, its GPU released, its training and its billing stopped. */
export const cancelFinetuneScenario = defineScenario(80, 'cancel-finetune', async (ctx) => {
  const ds = await uploadDataset(ctx, 'dataset', alpacaDataset(32, 'cancel'));
  const job = await startJob(ctx, 'train', { datasetPath: ds.datasetPath, maxSteps: STEPS });
  const running = await awaitJob(ctx, job, { minStep: 10 }, trainingBudget(10));
  must(
    ctx.check('job-running', 'the job trains before the cancel', running.reached, describeJob(running.job)),
    'not running'
  );
  // The training process itself, seen from inside the instance: its step advances.
  const instanceId = await jobInstance(ctx, 'train', 'instance-found');
  const look = () => ctx.steps.sshProbe({ suiteId: ctx.suiteId, instanceId, command: RANK0 });
  const stepOf = (out: { code: number; stdout: string }) =>
    out.code === 0 ? Number(/"step":(\d+)/.exec(out.stdout)?.[1]) : NaN;
  const s1 = stepOf(await look());
  await ctx.sleep(WATCH);
  const s2 = stepOf(await look());
  ctx.check(
    'process-training',
    'the training process advances on the instance',
    s2 > s1,
    `rank 0 at step ${s1}, then ${s2}`
  );
  const cancelled = await ctx.steps.cancelFinetuneJob({ jobId: job.id });
  ctx.check('job-cancelled', 'the job reads cancelled', cancelled.status === 'cancelled', describeJob(cancelled));
  const label = ctx.label('train');
  const gone = await ctx.steps.waitForNoInstance({ labelPrefix: label, ...(await ctx.window(300)) });
  ctx.check(
    'gpu-released',
    "the job's instance (and every process on it) is destroyed, at the platform and at VAST",
    gone.gone,
    gone.gone ? `gone after ${Math.round(gone.platformSeconds)} s` : `still there: ${gone.remaining.join('; ')}`
  );
  const before = await ctx.steps.getFinetuneJob({ jobId: job.id });
  const billedBefore = await ctx.steps.chargesForLabel({ labelPrefix: label });
  await ctx.sleep(WATCH);
  const after = await ctx.steps.getFinetuneJob({ jobId: job.id });
  const billedAfter = await ctx.steps.chargesForLabel({ labelPrefix: label });
  ctx.check(
    'training-stopped',
    `no step trained in the ${WATCH} s after the cancel`,
    after.currentStep === before.currentStep && after.status === 'cancelled',
    `step ${before.currentStep} → ${after.currentStep}; ${after.status}`
  );
  ctx.limit({
    id: 'billing-stopped',
    what: `GPU seconds billed in the ${WATCH} s after the release`,
    measured: billedAfter.gpuSeconds - billedBefore.gpuSeconds,
    op: '<=',
    limit: 0,
    unit: 's',
  });
  ctx.metric('stepsBeforeCancel', cancelled.currentStep);
  ctx.metric('gpuSecondsBilled', billedAfter.gpuSeconds);
});
