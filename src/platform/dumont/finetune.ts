/**
 * Dumont's fine-tuning routes (docs/platform-contract.md § Fine-tuning): dataset upload (multipart), jobs (create,
 * list, get, logs, cancel, delete), and the extensions the harness needs: `output_prefix`, `config.max_steps`,
 * `config.save_steps` and `resume_from_job_id` on create, checkpoint listing and export. A route the platform does not
 * have answers {@link PlatformLacksError}.
 */
import { z } from 'zod';
import { NotFoundError } from '../errors';
import type { DumontClient } from '../types';
import { lacksAwareCall } from './routes';

const int = z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]);
const count = int.nullish().transform((v) => v ?? 0);
const text = z
  .string()
  .nullish()
  .transform((v) => v ?? null);

const jobSchema = z.looseObject({
  id: z.union([z.string(), z.number()]).transform(String),
  name: z.string(),
  status: z.string(),
  num_gpus: count,
  current_step: count,
  total_steps: count,
  loss: z
    .number()
    .nullish()
    .transform((v) => v ?? null),
  progress_percent: z.number().nullish(),
  started_at: text,
  completed_at: text,
  output_model_path: text,
  error_message: text,
  checkpoint_sync_count: count,
  last_checkpoint_sync: text,
  resumed_from_step: int.nullish().transform((v) => v ?? null),
});
/** A fine-tune job as Dumont answers it (`FineTuneJobResponse`). */
export type FinetuneJobRow = z.output<typeof jobSchema>;

const fileSchema = z.looseObject({ key: z.string(), size: int, sha256: z.string() });
const checkpointSchema = z.looseObject({
  step: int,
  loss: z.number().nullish(),
  prefix: z.string(),
  files: z.array(fileSchema),
});
export type CheckpointRow = z.output<typeof checkpointSchema>;

const exportSchema = z.looseObject({
  export_prefix: z.string(),
  manifest_key: z.string(),
  files: z.array(fileSchema),
  total_bytes: count,
  duration_seconds: z.number().nullish(),
});
export type ExportAnswer = z.output<typeof exportSchema>;

/** What the harness asks a job to do. */
export interface FinetuneJobRequest {
  name: string;
  baseModel: string;
  datasetPath: string;
  datasetFormat: 'alpaca' | 'sharegpt' | 'raw';
  gpuType: string;
  numGpus: number;
  maxSteps: number;
  saveSteps: number;
  outputPrefix: string;
  resumeFromJobId?: string;
}

/**
 * A `multipart/form-data` body with one file and some fields. A spec-compliant `FormData`: axios encodes it afresh
 * (with its boundary header) on every attempt, so a retried upload sends the same file again.
 */
function multipart(file: { field: string; filename: string; body: Buffer }, fields: Record<string, string>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append(file.field, new Blob([file.body], { type: 'application/octet-stream' }), file.filename);
  return form;
}

/** The fine-tuning client over one Dumont client. */
export function finetuneApi(dumont: DumontClient) {
  const call = lacksAwareCall(dumont, (path) => path.replace(/\/jobs\/(?!upload-dataset)[^/]+/, '/jobs/{id}'));
  const job = (id: string) => `/api/v1/finetune/jobs/${encodeURIComponent(id)}`;
  return {
    /** Uploads a dataset; a refusal (400/422) rejects with the platform's error. Repeating it stores another copy. */
    uploadDataset: (filename: string, body: Buffer, format: string, label: string) => {
      const form = multipart({ field: 'file', filename, body }, { dataset_format: format, label });
      return call({
        method: 'POST',
        path: '/api/v1/finetune/jobs/upload-dataset',
        data: form,
        schema: z.looseObject({ success: z.boolean().optional(), dataset_path: z.string() }),
      });
    },
    /** Not idempotent: the caller looks for the job's name before any second try. */
    create: (r: FinetuneJobRequest) =>
      call({
        method: 'POST',
        path: '/api/v1/finetune/jobs',
        data: {
          name: r.name,
          base_model: r.baseModel,
          dataset_source: 'upload',
          dataset_path: r.datasetPath,
          dataset_format: r.datasetFormat,
          gpu_type: r.gpuType,
          num_gpus: r.numGpus,
          config: { max_steps: r.maxSteps, save_steps: r.saveSteps },
          output_prefix: r.outputPrefix,
          ...(r.resumeFromJobId ? { resume_from_job_id: r.resumeFromJobId } : {}),
        },
        schema: jobSchema,
        idempotent: false,
      }),
    list: () =>
      call({
        method: 'GET',
        path: '/api/v1/finetune/jobs',
        schema: z.looseObject({ jobs: z.array(z.unknown()).nullish() }),
      }).then((b) =>
        (b.jobs ?? []).flatMap((row) => {
          const parsed = jobSchema.safeParse(row);
          return parsed.success ? [parsed.data] : [];
        })
      ),
    get: (id: string) => call({ method: 'GET', path: job(id), schema: jobSchema }),
    logs: (id: string, tail: number) =>
      call({
        method: 'GET',
        path: `${job(id)}/logs`,
        params: { tail },
        schema: z.looseObject({ logs: z.union([z.string(), z.array(z.string())]).nullish() }),
      }).then((b) => (Array.isArray(b.logs) ? b.logs.join('\n') : (b.logs ?? ''))),
    /** Repeating a cancel answers 400 "not running": the caller reads the job to tell. */
    cancel: (id: string) =>
      call({ method: 'POST', path: `${job(id)}/cancel`, schema: z.unknown() }).then(() => undefined),
    /** Idempotent: a job already gone is deleted. */
    delete: async (id: string): Promise<void> => {
      try {
        await call({ method: 'DELETE', path: job(id), schema: z.unknown() });
      } catch (err) {
        if (err instanceof NotFoundError) return;
        throw err;
      }
    },
    /** Extension: the checkpoints synced to the bucket. */
    checkpoints: (id: string) =>
      call({
        method: 'GET',
        path: `${job(id)}/checkpoints`,
        schema: z.looseObject({ checkpoints: z.array(checkpointSchema) }),
      }).then((b) => b.checkpoints),
    /** Extension: writes the adapter, its config and a manifest under the job's prefix; repeating rewrites them. */
    export: (id: string) =>
      call({ method: 'POST', path: `${job(id)}/export`, data: {}, schema: exportSchema, timeoutMs: 600_000 }),
  };
}

export type FinetuneApi = ReturnType<typeof finetuneApi>;
