/** Defects of the fine-tuning feature (`./index.ts`). Pure data: the registry is imported by workflow code. */
import type { DefectDeclaration } from '../../defect-types';

/** The fine-tuning feature's defects, one or two per scenario 77–84 (labels: the job's name, the upload's label). */
export const FINETUNE_DEFECTS = [
  {
    name: 'finetune-never-completes',
    scenario: 77,
    check: 'job-completed',
    hook: 'the training process exits (finetune feature)',
    scope: 'label',
    description: 'A fine-tune finishes its steps but the job stays running and its GPU keeps billing (Dumont on VAST).',
  },
  {
    name: 'trains-on-default-dataset',
    scenario: 77,
    check: 'dataset-used',
    hook: 'POST /finetune/jobs: the dataset copied to the instance (finetune feature)',
    scope: 'label',
    description:
      'The job trains on a default dataset instead of the uploaded one (Dumont falls back to alpaca-cleaned).',
  },
  {
    name: 'invalid-dataset-accepted',
    scenario: 78,
    check: 'malformed-rejected',
    hook: 'POST /finetune/jobs/upload-dataset (finetune feature)',
    scope: 'label',
    description: 'A dataset with a malformed JSONL line is accepted without validation.',
  },
  {
    name: 'checkpoints-not-saved',
    scenario: 79,
    check: 'checkpoints-in-bucket',
    hook: 'checkpoint sync of a running job (finetune feature)',
    scope: 'label',
    description: 'The training writes checkpoints on the instance but none is synced to the bucket.',
  },
  {
    name: 'finetune-cancel-leaves-gpu',
    scenario: 80,
    check: 'gpu-released',
    hook: 'POST /finetune/jobs/{id}/cancel (finetune feature)',
    scope: 'label',
    description: 'Cancelling marks the job cancelled but leaves its instance (and the training) running.',
  },
  {
    name: 'training-logs-at-end',
    scenario: 81,
    check: 'logs-live',
    hook: 'GET /finetune/jobs/{id}/logs (finetune feature)',
    scope: 'label',
    description: 'Training logs show nothing while the job runs: loss and step lines appear only once it ends.',
  },
  {
    name: 'export-missing-weights',
    scenario: 82,
    check: 'export-weights',
    hook: 'POST /finetune/jobs/{id}/export (finetune feature)',
    scope: 'label',
    description: 'The export writes the adapter config and a manifest but no weights.',
  },
  {
    name: 'finetune-single-gpu-only',
    scenario: 83,
    check: 'both-ranks',
    hook: 'POST /finetune/jobs with num_gpus > 1 (finetune feature)',
    scope: 'label',
    description: 'The GPU count of a fine-tune is ignored: one rank trains at one GPU’s speed.',
  },
  {
    name: 'resume-restarts-from-zero',
    scenario: 84,
    check: 'resume-step',
    hook: 'POST /finetune/jobs with resume_from_job_id (finetune feature)',
    scope: 'label',
    description: 'A job resumed from a checkpoint restarts training from step zero.',
  },
] as const satisfies readonly DefectDeclaration[];
