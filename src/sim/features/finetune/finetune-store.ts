/** The fine-tuning feature's state: uploaded datasets, jobs with their checkpoints and exports, and the wire row. */
import type { ChildProcess } from 'node:child_process';
import type { DatasetFormat } from './dataset-validate';

/** Fine-tune job statuses, as Dumont's `finetune_job.py` names them. */
export type FinetuneStatus = 'pending' | 'uploading' | 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';

/** Dumont's `config` with its defaults, plus the harness's `max_steps` and `save_steps` (extensions). */
export interface FinetuneConfig {
  lora_rank: number;
  lora_alpha: number;
  learning_rate: number;
  epochs: number;
  batch_size: number;
  gradient_accumulation_steps: number;
  max_seq_length: number;
  warmup_steps: number;
  weight_decay: number;
  turbo_mode: boolean;
  max_steps: number | null;
  save_steps: number;
}

export const DEFAULT_CONFIG: FinetuneConfig = {
  lora_rank: 16,
  lora_alpha: 16,
  learning_rate: 2e-4,
  epochs: 1,
  batch_size: 2,
  gradient_accumulation_steps: 4,
  max_seq_length: 2048,
  warmup_steps: 5,
  weight_decay: 0.01,
  turbo_mode: false,
  max_steps: null,
  save_steps: 50,
};

/** One uploaded dataset, kept where Dumont keeps it (the API server's disk; here, memory). */
export interface StoredDataset {
  path: string;
  filename: string;
  body: Buffer;
  user: string;
}

/** One checkpoint synced to the bucket. */
export interface CheckpointRecord {
  step: number;
  loss: number;
  prefix: string;
  files: { key: string; size: number; sha256: string }[];
  syncedAt: number;
}

export interface FinetuneJob {
  id: string;
  user: string;
  name: string;
  status: FinetuneStatus;
  baseModel: string;
  datasetSource: string;
  datasetPath: string;
  datasetFormat: DatasetFormat;
  gpuType: string;
  numGpus: number;
  config: FinetuneConfig;
  currentStep: number;
  totalSteps: number;
  loss: number | null;
  createdAt: number;
  startedAt: number | null;
  completedAt: number | null;
  outputModelPath: string | null;
  errorMessage: string | null;
  /** Bucket prefix of its checkpoints, output and exports (the `output_prefix` extension, or `finetune/<id>`). */
  prefix: string;
  instanceId: number | null;
  checkpoints: CheckpointRecord[];
  lastCheckpointSync: number | null;
  /** Every line the training process printed, in order. */
  logs: string[];
  /** The step it resumed from (the resume extension), or null. */
  resumedFromStep: number | null;
  resumeFrom: { jobId: string; step: number } | null;
  process: ChildProcess | null;
  /** Platform time the training process reported its last step. */
  trainingEndedAt: number | null;
  /** The adapter uploaded at the end (`prefix/output/`). */
  output: CheckpointRecord['files'] | null;
}

export interface FinetuneState {
  datasets: Map<string, StoredDataset>;
  jobs: Map<string, FinetuneJob>;
  nextJob: number;
}

export function newFinetuneState(): FinetuneState {
  return { datasets: new Map(), jobs: new Map(), nextJob: 1 };
}

const iso = (t: number | null): string | null => (t === null ? null : new Date(t * 1000).toISOString());

/** Dumont's `FineTuneJobResponse` (plus `resumed_from_step`, an extension). */
export function jobRow(j: FinetuneJob): Record<string, unknown> {
  return {
    id: j.id,
    user_id: j.user,
    name: j.name,
    status: j.status,
    base_model: j.baseModel,
    dataset_source: j.datasetSource,
    dataset_path: j.datasetPath,
    dataset_format: j.datasetFormat,
    gpu_type: j.gpuType,
    num_gpus: j.numGpus,
    config: j.config,
    current_epoch: j.totalSteps > 0 ? Math.min(j.config.epochs, (j.currentStep / j.totalSteps) * j.config.epochs) : 0,
    current_step: j.currentStep,
    total_steps: j.totalSteps,
    loss: j.loss,
    progress_percent: j.totalSteps > 0 ? Math.round((j.currentStep / j.totalSteps) * 10000) / 100 : 0,
    created_at: iso(j.createdAt),
    started_at: iso(j.startedAt),
    completed_at: iso(j.completedAt),
    output_model_path: j.outputModelPath,
    error_message: j.errorMessage,
    cpu_standby_enabled: false,
    cpu_standby_instance_id: null,
    cpu_standby_instance_ip: null,
    last_checkpoint_sync: iso(j.lastCheckpointSync),
    checkpoint_sync_count: j.checkpoints.length,
    resumed_from_step: j.resumedFromStep,
  };
}
