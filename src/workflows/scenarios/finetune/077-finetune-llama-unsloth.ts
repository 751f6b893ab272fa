import { defineScenario } from '../../kit';
import {
  alpacaDataset,
  awaitJob,
  describeJob,
  startJob,
  stepsPerSecond,
  trainingBudget,
  uploadDataset,
} from './helpers';

const STEPS = 100;
/** Platform seconds a job that trained its last step gets to say `completed`. */
const COMPLETE_GRACE = 300;

/** 77 — Fine-tune Llama with Unsloth on a small uploaded dataset: 100 steps, completed, loss down, that dataset used. */
export const finetuneLlamaUnslothScenario = defineScenario(77, 'finetune-llama-unsloth', async (ctx) => {
  const ds = await uploadDataset(ctx, 'dataset', alpacaDataset(48, 'llamas'));
  const job = await startJob(ctx, 'train', { datasetPath: ds.datasetPath, maxSteps: STEPS });
  const trained = await awaitJob(ctx, job, { minStep: STEPS }, trainingBudget(STEPS));
  const done = trained.job.status === 'completed' ? trained : await awaitJob(ctx, job, {}, COMPLETE_GRACE);
  ctx.check(
    'job-completed',
    'the job reached completed after its last step',
    done.job.status === 'completed',
    describeJob(done.job)
  );
  ctx.check(
    'steps-done',
    `the job trained the ${STEPS} steps asked`,
    done.job.currentStep === STEPS && done.job.totalSteps === STEPS,
    `${done.job.currentStep}/${done.job.totalSteps} steps`
  );
  const logs = await ctx.steps.finetuneLogSummary({ jobId: job.id });
  ctx.check(
    'dataset-used',
    'the training read the uploaded dataset',
    logs.dataset?.sha256 === ds.sha256 && logs.dataset.records === ds.records,
    logs.dataset
      ? `trained on ${logs.dataset.records} records sha256 ${logs.dataset.sha256.slice(0, 12)}; uploaded ${ds.records} records sha256 ${ds.sha256.slice(0, 12)}`
      : 'the logs name no dataset'
  );
  const first = logs.steps[0];
  const last = logs.steps.at(-1);
  ctx.limit({
    id: 'loss-decreases',
    what: 'last logged loss / first',
    measured: first && last && last.step > first.step ? last.loss / first.loss : undefined,
    op: '<=',
    limit: 0.9,
    unit: '×',
    note:
      first && last ? `loss ${first.loss} at step ${first.step} → ${last.loss} at step ${last.step}` : 'no loss logged',
  });
  if (first) ctx.metric('lossFirst', first.loss);
  if (last) ctx.metric('lossLast', last.loss);
  const rate = stepsPerSecond(done.job, STEPS);
  if (rate !== undefined) ctx.metric('stepsPerSecond', rate);
});
