import { defineScenario } from '../../kit';
import { alpacaDataset, completeJob, startJob, stepsPerSecond, uploadDataset } from './helpers';

const STEPS = 200;
/** Two ranks must train at least this much faster than one (ideal 2×; all-reduce costs some). */
const MIN_SPEEDUP = 1.5;

/** 83 — A fine-tune on 2 GPUs trains on both (two ranks) and faster than the same job on one. */
export const finetuneMultiGpuScenario = defineScenario(83, 'finetune-multi-gpu', async (ctx) => {
  const ds = await uploadDataset(ctx, 'dataset', alpacaDataset(32, 'ranks'));
  const [one, two] = await Promise.all([
    startJob(ctx, 'one-gpu', { datasetPath: ds.datasetPath, maxSteps: STEPS, numGpus: 1 }),
    startJob(ctx, 'two-gpu', { datasetPath: ds.datasetPath, maxSteps: STEPS, numGpus: 2 }),
  ]);
  const [doneOne, doneTwo] = await Promise.all([
    completeJob(ctx, one, 'one-gpu-completed', STEPS),
    completeJob(ctx, two, 'two-gpu-completed', STEPS),
  ]);
  const logs = await ctx.steps.finetuneLogSummary({ jobId: two.id });
  const ranks = Object.entries(logs.ranks).sort();
  ctx.check(
    'both-ranks',
    'two ranks trained, each to the last step',
    ranks.length === 2 && ranks.every(([, step]) => step === STEPS),
    ranks.map(([r, step]) => `rank ${r} to step ${step}`).join(', ') || 'no rank reported'
  );
  const r1 = stepsPerSecond(doneOne, STEPS);
  const r2 = stepsPerSecond(doneTwo, STEPS);
  ctx.limit({
    id: 'speedup',
    what: '2-GPU speed-up over 1 GPU',
    measured: r1 && r2 ? r2 / r1 : undefined,
    op: '>=',
    limit: MIN_SPEEDUP,
    unit: '×',
    note: r1 && r2 ? `${r1.toFixed(3)} vs ${r2.toFixed(3)} steps/s` : 'the platform gave no start or end time',
  });
  if (r1) ctx.metric('stepsPerSecond1Gpu', r1);
  if (r2) ctx.metric('stepsPerSecond2Gpu', r2);
});
