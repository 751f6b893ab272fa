import { defineScenario, must } from '../../kit';
import {
  alpacaDataset,
  awaitJob,
  completeJob,
  describeJob,
  extension,
  startJob,
  trainingBudget,
  uploadDataset,
} from './helpers';

/** Far more than the first run gets to before it is stopped after its first checkpoint. */
const STEPS = 400;
const SAVE_EVERY = 50;

/** 84 — Stop a fine-tune after a checkpoint, resume from it: training continues at that step and ends at the target. */
export const resumeFinetuneFromCheckpointScenario = defineScenario(
  84,
  'resume-finetune-from-checkpoint',
  async (ctx) => {
    const ds = await uploadDataset(ctx, 'dataset', alpacaDataset(32, 'resume'));
    const spec = { datasetPath: ds.datasetPath, maxSteps: STEPS, saveSteps: SAVE_EVERY };
    const first = await startJob(ctx, 'first', spec);
    const saved = await awaitJob(ctx, first, { minCheckpoints: 1 }, trainingBudget(SAVE_EVERY));
    must(
      ctx.check('checkpoint-taken', 'the first run synced a checkpoint', saved.reached, describeJob(saved.job)),
      'no checkpoint'
    );
    const stopped = await ctx.steps.cancelFinetuneJob({ jobId: first.id });
    ctx.check(
      'first-stopped',
      'the first run stopped (cancelled)',
      stopped.status === 'cancelled',
      describeJob(stopped)
    );
    const listed = await extension(ctx, 'checkpoint-listed', 'the platform lists the checkpoints', () =>
      ctx.steps.finetuneCheckpoints({ jobId: first.id })
    );
    const latest = listed.at(-1);
    must(
      ctx.check('checkpoint-listed', 'the platform lists the checkpoints', !!latest, `${listed.length} listed`),
      'none'
    );
    const second = await startJob(ctx, 'resumed', { ...spec, resumeFromJobId: first.id });
    const done = await completeJob(ctx, second, 'resume-completes', STEPS - latest!.step);
    const logs = await ctx.steps.finetuneLogSummary({ jobId: second.id });
    const firstPoint = logs.steps[0];
    ctx.check(
      'resume-step',
      `training continued at the checkpoint's step ${latest!.step}`,
      logs.startSteps['0'] === latest!.step && firstPoint?.step === latest!.step + 1,
      `started at step ${logs.startSteps['0'] ?? '?'}, first logged step ${firstPoint?.step ?? 'none'}; ` +
        `resumed_from_step ${done.resumedFromStep ?? 'absent (the platform lacks resume from a checkpoint)'}`
    );
    ctx.check(
      'resume-loss',
      "the first loss after resuming is close to the checkpoint's",
      !!firstPoint && latest!.loss !== null && Math.abs(firstPoint.loss - latest!.loss) <= 0.15 * latest!.loss,
      `checkpoint loss ${latest!.loss}; first loss after resuming ${firstPoint?.loss ?? 'none'}`
    );
    ctx.check(
      'ends-at-target',
      `the resumed run ends at step ${STEPS}`,
      done.currentStep === STEPS && done.totalSteps === STEPS,
      describeJob(done)
    );
    ctx.metric('resumedFromStep', latest!.step);
  }
);
