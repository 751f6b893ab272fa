/**
 * The fine-tuning feature's Dumont routes (`reference/dumont-api.md` §9): status, models, dataset upload (multipart,
 * validated), jobs (create, list, get, logs, cancel, refresh, delete), and the extensions the harness needs (checkpoint
 * listing, export, resume from a checkpoint; `docs/platform-contract.md` § Fine-tuning). The `dumont-as-is` profile
 * answers the extensions with the framework's 404, as the real server does.
 */
import { createHash, randomBytes } from 'node:crypto';
import { json, jsonBody, type SimRequest, type SimResponse } from '../../core/http/sim-http';
import { validationError } from '../../dumont/dumont-errors';
import type { FeatureContext, FeatureRoute } from '../types';
import { DATASET_FORMATS, validateDataset, type DatasetFormat } from './dataset-validate';
import { cancelJob, DEFAULT_DATASET, exportJob, runJob, TERMINAL } from './finetune-engine';
import { DEFAULT_CONFIG, jobRow, type FinetuneConfig, type FinetuneJob, type FinetuneState } from './finetune-store';

type Ctx = FeatureContext<FinetuneState>;
type Route = FeatureRoute<FinetuneState>;

const asIs = (ctx: Ctx): boolean => ctx.world.profile === 'dumont-as-is';
const noRoute = (): SimResponse => json(404, { error: 'Not Found' });

export const UNSLOTH_MODELS = [
  'unsloth/llama-3-8b-bnb-4bit',
  'unsloth/llama-3.1-8b-bnb-4bit',
  'unsloth/mistral-7b-v0.3-bnb-4bit',
  'unsloth/Qwen2.5-7B-bnb-4bit',
  'unsloth/gemma-2-9b-bnb-4bit',
];

const bad = (loc: string, msg: string): SimResponse =>
  validationError([{ loc: ['body', loc], msg, type: 'value_error' }]);

/** The job the path names, the user's own; 404 otherwise. */
function jobOf(req: SimRequest, ctx: Ctx): FinetuneJob | SimResponse {
  const job = ctx.state.jobs.get(req.params.id);
  return job && job.user === req.user ? job : json(404, { error: `Job ${req.params.id} not found` });
}

function parseConfig(raw: unknown): FinetuneConfig | SimResponse {
  const cfg: FinetuneConfig = { ...DEFAULT_CONFIG };
  if (raw === undefined || raw === null) return cfg;
  if (typeof raw !== 'object') return bad('config', 'Input should be an object');
  const r = raw as Record<string, unknown>;
  const ints: [keyof FinetuneConfig, number, number][] = [
    ['lora_rank', 4, 128],
    ['lora_alpha', 1, 1024],
    ['epochs', 1, 10],
    ['batch_size', 1, 128],
    ['gradient_accumulation_steps', 1, 128],
    ['max_seq_length', 128, 32768],
    ['warmup_steps', 0, 10000],
    ['max_steps', 1, 100000],
    ['save_steps', 1, 100000],
  ];
  for (const [key, min, max] of ints) {
    const v = r[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
      return validationError([
        { loc: ['body', 'config', key], msg: `Input should be an integer in ${min}..${max}`, type: 'value_error' },
      ]);
    (cfg as unknown as Record<string, number>)[key] = v;
  }
  for (const key of ['learning_rate', 'weight_decay'] as const) if (typeof r[key] === 'number') cfg[key] = r[key];
  if (typeof r.turbo_mode === 'boolean') cfg.turbo_mode = r.turbo_mode;
  return cfg;
}

function recordsOf(body: Buffer): number {
  return body
    .toString('utf8')
    .split('\n')
    .filter((l) => l.trim() !== '').length;
}

function createJob(req: SimRequest, ctx: Ctx): SimResponse {
  const b = jsonBody(req);
  if (typeof b.name !== 'string' || b.name.length < 1 || b.name.length > 100)
    return bad('name', 'String of 1-100 characters');
  if (typeof b.base_model !== 'string' || !b.base_model) return bad('base_model', 'Field required');
  const source = b.dataset_source ?? 'upload';
  if (!['upload', 'url', 'huggingface', 'existing'].includes(source as string))
    return bad('dataset_source', "Input should be 'upload', 'url', 'huggingface' or 'existing'");
  if (typeof b.dataset_path !== 'string') return bad('dataset_path', 'Field required');
  const format = (b.dataset_format ?? 'alpaca') as DatasetFormat;
  if (!DATASET_FORMATS.includes(format)) return bad('dataset_format', "Input should be 'alpaca', 'sharegpt' or 'raw'");
  const numGpus = b.num_gpus ?? 1;
  if (typeof numGpus !== 'number' || !Number.isInteger(numGpus) || numGpus < 1 || numGpus > 8)
    return bad('num_gpus', 'Input should be an integer in 1..8');
  const config = parseConfig(b.config);
  if ('status' in config) return config;
  const ext = !asIs(ctx);
  const uploaded = ctx.state.datasets.get(b.dataset_path);
  if (ext && source === 'upload' && (!uploaded || uploaded.user !== req.user))
    return json(400, { error: `Dataset not found: ${b.dataset_path}` });
  let resumeFrom: FinetuneJob['resumeFrom'] = null;
  if (ext && typeof b.resume_from_job_id === 'string') {
    const from = ctx.state.jobs.get(b.resume_from_job_id);
    if (!from || from.user !== req.user) return json(404, { error: `Job ${b.resume_from_job_id} not found` });
    const wanted = typeof b.resume_from_step === 'number' ? b.resume_from_step : undefined;
    const cp = wanted === undefined ? from.checkpoints.at(-1) : from.checkpoints.find((c) => c.step === wanted);
    if (!cp)
      return json(400, {
        error: `Job ${from.id} has no checkpoint${wanted === undefined ? '' : ` at step ${wanted}`}`,
      });
    resumeFrom = { jobId: from.id, step: cp.step };
  }
  const records = recordsOf(uploaded ? uploaded.body : DEFAULT_DATASET);
  const perStep = config.batch_size * config.gradient_accumulation_steps;
  const id = `ft-${createHash('sha256').update(randomBytes(16)).digest('hex').slice(0, 8)}`;
  const prefix =
    ext && typeof b.output_prefix === 'string' && b.output_prefix.trim() !== ''
      ? b.output_prefix.replace(/\/+$/, '')
      : `finetune/${id}`;
  const job: FinetuneJob = {
    id,
    user: req.user ?? '',
    name: b.name,
    status: 'pending',
    baseModel: b.base_model,
    datasetSource: source as string,
    datasetPath: b.dataset_path,
    datasetFormat: format,
    gpuType: typeof b.gpu_type === 'string' ? b.gpu_type : 'A100',
    numGpus,
    config,
    currentStep: 0,
    totalSteps: ext && config.max_steps !== null ? config.max_steps : Math.ceil((records * config.epochs) / perStep),
    loss: null,
    createdAt: ctx.world.clock.platformNow(),
    startedAt: null,
    completedAt: null,
    outputModelPath: null,
    errorMessage: null,
    prefix,
    instanceId: null,
    checkpoints: [],
    lastCheckpointSync: null,
    logs: [],
    resumedFromStep: null,
    resumeFrom,
    process: null,
    trainingEndedAt: null,
    output: null,
  };
  ctx.state.jobs.set(id, job);
  runJob(ctx.world, ctx.state, job).catch((err: Error) => {
    job.status = 'failed';
    job.errorMessage = err.message;
  });
  return json(201, jobRow(job));
}

function upload(req: SimRequest, ctx: Ctx): SimResponse {
  const file = req.form?.files.find((f) => f.field === 'file');
  if (!file) return validationError([{ loc: ['body', 'file'], msg: 'Field required', type: 'missing' }]);
  if (!/\.jsonl?$/i.test(file.filename)) return json(400, { error: 'Only .json and .jsonl files are supported' });
  const format = (req.form?.fields.dataset_format ?? 'alpaca') as DatasetFormat;
  const label = req.form?.fields.label ?? null;
  const checked =
    asIs(ctx) || ctx.world.has('invalid-dataset-accepted', label)
      ? { records: recordsOf(file.data) }
      : validateDataset(file.filename, file.data, DATASET_FORMATS.includes(format) ? format : 'alpaca');
  if ('line' in checked)
    return json(400, {
      error: `Invalid dataset at line ${checked.line}: ${checked.message}`,
      line: checked.line,
      ...(checked.field ? { field: checked.field } : {}),
    });
  const stamp = Math.floor(ctx.world.clock.platformNow() * 1000);
  const datasetPath = `/root/.dumont/datasets/${req.user}/${stamp}_${file.filename}`;
  ctx.state.datasets.set(datasetPath, {
    path: datasetPath,
    filename: file.filename,
    body: file.data,
    user: req.user ?? '',
  });
  return json(200, { success: true, dataset_path: datasetPath, records: checked.records });
}

export const FINETUNE_ROUTES: readonly Route[] = [
  {
    method: 'GET',
    path: '/finetune/status',
    handle: () =>
      json(200, {
        skypilot_available: false,
        vast_available: true,
        finetune_available: true,
        message: 'Fine-tuning via VAST.ai',
      }),
  },
  { method: 'GET', path: '/finetune/models', handle: () => json(200, { models: UNSLOTH_MODELS }) },
  { method: 'POST', path: '/finetune/jobs/upload-dataset', body: 'multipart', handle: upload },
  { method: 'POST', path: '/finetune/jobs', handle: createJob },
  {
    method: 'GET',
    path: '/finetune/jobs',
    handle: (req, ctx) => {
      const jobs = [...ctx.state.jobs.values()].filter((j) => j.user === req.user).map(jobRow);
      return json(200, { jobs, count: jobs.length });
    },
  },
  {
    method: 'GET',
    path: '/finetune/jobs/:id',
    handle: (req, ctx) => {
      const job = jobOf(req, ctx);
      return 'logs' in job ? json(200, jobRow(job)) : job;
    },
  },
  {
    method: 'GET',
    path: '/finetune/jobs/:id/logs',
    handle: (req, ctx) => {
      const job = jobOf(req, ctx);
      if (!('logs' in job)) return job;
      const tail = Math.max(1, Math.min(10_000, Number(req.query.get('tail') ?? 100) || 100));
      // Under the defect, the output is only collected once the process is over.
      const hidden = job.process !== null && ctx.world.has('training-logs-at-end', job.name);
      return json(200, { job_id: job.id, logs: hidden ? '' : job.logs.slice(-tail).join('\n') });
    },
  },
  {
    method: 'POST',
    path: '/finetune/jobs/:id/cancel',
    handle: (req, ctx) => {
      const job = jobOf(req, ctx);
      if (!('logs' in job)) return job;
      if (TERMINAL.has(job.status)) return json(400, { error: `Job ${job.id} is not running (${job.status})` });
      cancelJob(ctx.world, job);
      return json(200, { success: true, message: `Job ${job.id} cancelled` });
    },
  },
  {
    method: 'POST',
    path: '/finetune/jobs/:id/refresh',
    handle: (req, ctx) => {
      const job = jobOf(req, ctx);
      return 'logs' in job ? json(200, jobRow(job)) : job;
    },
  },
  {
    method: 'DELETE',
    path: '/finetune/jobs/:id',
    destroys: true,
    handle: (req, ctx) => {
      const job = jobOf(req, ctx);
      if (!('logs' in job)) return job;
      if (!TERMINAL.has(job.status))
        return json(400, { error: `Cannot delete job ${job.id} while it is ${job.status}` });
      ctx.state.jobs.delete(job.id);
      return json(200, { success: true });
    },
  },
  {
    // Extension: Dumont only counts checkpoint syncs.
    method: 'GET',
    path: '/finetune/jobs/:id/checkpoints',
    handle: (req, ctx) => {
      if (asIs(ctx)) return noRoute();
      const job = jobOf(req, ctx);
      if (!('logs' in job)) return job;
      const checkpoints = job.checkpoints.map((c) => ({
        step: c.step,
        loss: c.loss,
        prefix: c.prefix,
        files: c.files,
        synced_at: new Date(c.syncedAt * 1000).toISOString(),
      }));
      return json(200, {
        job_id: job.id,
        bucket: ctx.world.objectStore.bucket,
        checkpoints,
        count: checkpoints.length,
      });
    },
  },
  {
    // Extension: Dumont has no export (deploy is the closest).
    method: 'POST',
    path: '/finetune/jobs/:id/export',
    handle: async (req, ctx) => {
      if (asIs(ctx)) return noRoute();
      const job = jobOf(req, ctx);
      if (!('logs' in job)) return job;
      if (job.status !== 'completed')
        return json(400, { error: `Job ${job.id} must be completed to export (it is ${job.status})` });
      const done = await exportJob(ctx.world, job);
      return json(200, {
        success: true,
        job_id: job.id,
        bucket: ctx.world.objectStore.bucket,
        export_prefix: done.prefix,
        manifest_key: done.manifestKey,
        files: done.files,
        total_bytes: done.files.reduce((s, f) => s + f.size, 0),
        duration_seconds: Math.round(done.seconds * 100) / 100,
      });
    },
  },
];
