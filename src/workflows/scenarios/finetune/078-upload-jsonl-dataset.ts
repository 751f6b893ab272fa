import { defineScenario } from '../../kit';
import { alpacaDataset, completeJob, startJob } from './helpers';

/** Steps of the short job that shows the accepted dataset is the one trained on. */
const STEPS = 20;

/**
 * 78 — A valid JSONL dataset is accepted and is what a job trains on; a malformed line and a record missing a field
 * are refused, naming the line.
 */
export const uploadJsonlDatasetScenario = defineScenario(78, 'upload-jsonl-dataset', async (ctx) => {
  const upload = (step: string, content: string) =>
    ctx.steps.uploadFinetuneDataset({ label: ctx.label(step), filename: `${step}.jsonl`, content, format: 'alpaca' });
  const lines = alpacaDataset(20, 'datasets').split('\n');
  const ok = await upload('valid', lines.join('\n'));
  ctx.check(
    'valid-accepted',
    `a valid ${lines.length}-record JSONL dataset is accepted`,
    ok.accepted,
    ok.accepted ? `stored at ${ok.datasetPath}` : ok.error
  );
  // Line 3 is not JSON; the rest is fine.
  const malformed = await upload(
    'malformed',
    [lines[0], lines[1], '{"instruction": "broken", "output": }', lines[3]].join('\n')
  );
  ctx.check(
    'malformed-rejected',
    'a dataset with a malformed line is rejected, naming line 3',
    !malformed.accepted && /line 3\b/.test(malformed.error),
    malformed.accepted ? `accepted as ${malformed.datasetPath}` : malformed.error
  );
  // Line 2 parses but lacks the `output` an alpaca record needs.
  const missing = await upload(
    'missing-field',
    [lines[0], '{"instruction": "no answer", "input": ""}', lines[2]].join('\n')
  );
  ctx.check(
    'missing-field-rejected',
    "a record without alpaca's output is rejected, naming line 2 and the field",
    !missing.accepted && /line 2\b/.test(missing.error) && /output/.test(missing.error),
    missing.accepted ? `accepted as ${missing.datasetPath}` : missing.error
  );
  if (!ok.accepted) return;
  // Accepted means usable: a short job on it reads exactly the records sent.
  const job = await startJob(ctx, 'train', { datasetPath: ok.datasetPath, maxSteps: STEPS });
  await completeJob(ctx, job, 'job-completed', STEPS);
  const logs = await ctx.steps.finetuneLogSummary({ jobId: job.id });
  ctx.check(
    'dataset-trained',
    'the job trained on the uploaded records',
    logs.dataset?.sha256 === ok.sha256 && logs.dataset.records === ok.records,
    logs.dataset ? `trained on ${logs.dataset.records} records; uploaded ${ok.records}` : 'the logs name no dataset'
  );
});
