import { defineScenario, must } from '../../kit';
import { alpacaDataset, completeJob, extension, startJob, uploadDataset } from './helpers';

const STEPS = 60;

/** 82 — Export a completed fine-tune to the bucket: the manifest's files, weights included, read back by checksum. */
export const exportFinetunedModelScenario = defineScenario(82, 'export-finetuned-model', async (ctx) => {
  const ds = await uploadDataset(ctx, 'dataset', alpacaDataset(32, 'export'));
  const job = await startJob(ctx, 'train', { datasetPath: ds.datasetPath, maxSteps: STEPS });
  await completeJob(ctx, job, 'job-completed', STEPS);
  const ex = await extension(ctx, 'export-done', 'the platform exported the model', () =>
    ctx.steps.exportFinetune({ jobId: job.id })
  );
  const seconds = ex.platformSeconds ?? ex.realMs / 1000 / ctx.timeScale;
  ctx.check(
    'export-done',
    'the platform exported the model',
    true,
    `${ex.files.length} file(s), ${ex.totalBytes} B in ${seconds} s`
  );
  const read = await ctx.steps.readExport({ prefix: ex.prefix, manifestKey: ex.manifestKey });
  must(
    ctx.check('manifest-read', 'the export manifest is in the bucket', read.manifest !== null, ex.manifestKey),
    'no manifest'
  );
  const weights = read.checks.filter((c) => c.key.endsWith('.safetensors'));
  ctx.check(
    'export-weights',
    'the export holds the adapter weights',
    weights.length > 0 && weights.every((w) => (w.size ?? 0) > 0),
    weights.length
      ? weights.map((w) => `${w.key}: ${w.size ?? 'absent'} B`).join('; ')
      : 'no weights file in the manifest'
  );
  ctx.check(
    'export-config',
    'the export holds the adapter config',
    read.checks.some((c) => c.key.endsWith('adapter_config.json') && c.size !== null),
    read.checks.map((c) => c.key.slice(ex.prefix.length + 1)).join(', ')
  );
  const bad = read.checks.filter((c) => c.size !== c.expectedSize || c.sha256 !== c.expectedSha256);
  ctx.check(
    'export-checksums',
    'every exported file has the size and SHA-256 of its manifest',
    bad.length === 0,
    bad.length
      ? `mismatched: ${bad.map((c) => `${c.key} (${c.size ?? 'absent'} B)`).join(', ')}`
      : `${read.checks.length} file(s) match`
  );
  ctx.metric(
    'exportBytes',
    read.checks.reduce((s, c) => s + (c.size ?? 0), 0)
  );
  ctx.metric('exportSeconds', seconds);
});
