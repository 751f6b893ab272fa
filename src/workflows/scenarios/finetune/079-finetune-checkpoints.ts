import { defineScenario } from '../../kit';
import { alpacaDataset, completeJob, extension, startJob, uploadDataset } from './helpers';

const STEPS = 150;
const SAVE_EVERY = 50;

/** 79 — A fine-tune saves a checkpoint every 50 steps: each one is in the bucket (read with S3) and listed. */
export const finetuneCheckpointsScenario = defineScenario(79, 'finetune-checkpoints', async (ctx) => {
  const ds = await uploadDataset(ctx, 'dataset', alpacaDataset(32, 'checkpoints'));
  const job = await startJob(ctx, 'train', { datasetPath: ds.datasetPath, maxSteps: STEPS, saveSteps: SAVE_EVERY });
  const done = await completeJob(ctx, job, 'job-completed', STEPS);
  const expected = Array.from({ length: Math.floor(STEPS / SAVE_EVERY) }, (_, i) => (i + 1) * SAVE_EVERY);
  const inBucket = await ctx.steps.bucketCheckpoints({ prefix: ctx.label('train') });
  const complete = inBucket.filter((c) => c.step !== null && c.files.includes('adapter_model.safetensors'));
  const steps = complete.map((c) => c.step!).sort((a, b) => a - b);
  ctx.check(
    'checkpoints-in-bucket',
    `the bucket holds a checkpoint (adapter and trainer state) every ${SAVE_EVERY} steps`,
    steps.join(',') === expected.join(','),
    `steps in the bucket: [${steps.join(', ')}]; expected [${expected.join(', ')}]`
  );
  ctx.check(
    'sync-count',
    "the job's checkpoint sync count matches",
    done.checkpointSyncCount === expected.length,
    `checkpoint_sync_count ${done.checkpointSyncCount}; expected ${expected.length}`
  );
  const listed = await extension(ctx, 'checkpoints-listed', 'the platform lists the checkpoints', () =>
    ctx.steps.finetuneCheckpoints({ jobId: job.id })
  );
  const objects = await ctx.steps.verifyBucketObjects({ files: listed.flatMap((c) => c.files) });
  const bad = objects.filter((o) => o.size !== o.expectedSize || o.sha256 !== o.expectedSha256);
  ctx.check(
    'checkpoints-listed',
    'each listed checkpoint is in the bucket with the size and SHA-256 listed',
    listed.map((c) => c.step).join(',') === expected.join(',') && bad.length === 0,
    `listed [${listed.map((c) => c.step).join(', ')}]; ${objects.length - bad.length}/${objects.length} objects match` +
      (bad.length
        ? `; mismatched: ${bad
            .map((o) => o.key)
            .slice(0, 3)
            .join(', ')}`
        : '')
  );
  ctx.metric('checkpointCount', steps.length);
  if (complete.length) ctx.metric('checkpointBytes', complete.reduce((s, c) => s + c.bytes, 0) / complete.length);
});
