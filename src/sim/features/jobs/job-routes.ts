/**
 * The jobs feature's Dumont routes, with Dumont's paths (trailing slashes: `/jobs` answers 307 to `/jobs/`), bodies
 * and `{error}` answers (`reference/dumont-api.md` §7): submit, list, get, cancel, logs.
 */
import { json, jsonBody, type SimRequest } from '../../core/http/sim-http';
import { validationError, type ValidationDetail } from '../../dumont/dumont-errors';
import type { FeatureContext, FeatureRoute } from '../types';
import { cancelJob, logsOf, runJob } from './job-runner';
import { FINISHED, jobRow, type JobRecord, type JobSpec, type JobsState } from './job-store';

type Ctx = FeatureContext<JobsState>;
type Route = FeatureRoute<JobsState>;

const DEFAULT_IMAGE = 'pytorch/pytorch:2.1.0-cuda12.1-cudnn8-runtime';

const strings = (v: unknown): string[] | undefined =>
  Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;

function intIn(
  body: Record<string, unknown>,
  key: string,
  def: number,
  min: number,
  max: number,
  details: ValidationDetail[]
): number {
  const v = body[key];
  if (v === undefined || v === null) return def;
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    details.push({ loc: ['body', key], msg: `Input should be an integer in ${min}..${max}`, type: 'value_error' });
    return def;
  }
  return n;
}

/** Validates `CreateJobRequest` as Pydantic would (422 details), with Dumont's defaults. */
function parseSpec(ctx: Ctx, body: Record<string, unknown>): JobSpec | { details: ValidationDetail[] } {
  const details: ValidationDetail[] = [];
  const source = typeof body.source === 'string' ? body.source : 'command';
  if (!['command', 'huggingface', 'git'].includes(source))
    details.push({ loc: ['body', 'source'], msg: "Input should be 'command', 'huggingface' or 'git'", type: 'enum' });
  if (source === 'command' && (typeof body.command !== 'string' || body.command.trim() === ''))
    details.push({ loc: ['body', 'command'], msg: 'A command job needs a command', type: 'value_error' });
  const numGpus = intIn(body, 'num_gpus', 1, 1, 8, details);
  const diskSize = intIn(body, 'disk_size', 50, 10, 100_000, details);
  const maxRetries = intIn(body, 'max_retries', 0, 0, 5, details);
  // `timeout` is an unvalidated alias of `timeout_minutes` (so 1 works); `timeout_minutes` is 10..1440.
  let minutes = intIn(body, 'timeout_minutes', 480, 10, 1440, details);
  if (body.timeout !== undefined && body.timeout !== null) {
    const t = Number(body.timeout);
    if (!Number.isFinite(t) || t <= 0)
      details.push({ loc: ['body', 'timeout'], msg: 'Input should be a positive number', type: 'value_error' });
    else minutes = t;
  }
  const pip = body.pip_packages === undefined || body.pip_packages === null ? [] : strings(body.pip_packages);
  if (!pip) details.push({ loc: ['body', 'pip_packages'], msg: 'Input should be a list of strings', type: 'list' });
  const outputs =
    body.output_paths === undefined || body.output_paths === null ? ['/workspace/output'] : strings(body.output_paths);
  if (!outputs) details.push({ loc: ['body', 'output_paths'], msg: 'Input should be a list of strings', type: 'list' });
  if (details.length) return { details };
  const stamp = new Date(ctx.world.clock.platformNow() * 1000).toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return {
    name:
      typeof body.name === 'string' && body.name.trim() !== ''
        ? body.name
        : `job-${stamp.slice(0, 8)}-${stamp.slice(8)}-${ctx.world.prng.hex(8)}`,
    source,
    command: typeof body.command === 'string' ? body.command : 'true',
    setupScript: typeof body.setup_script === 'string' ? body.setup_script : null,
    pipPackages: pip!,
    gpuType: typeof body.gpu_type === 'string' ? body.gpu_type : 'RTX 4090',
    numGpus,
    useSpot: typeof body.use_spot === 'boolean' ? body.use_spot : typeof body.spot === 'boolean' ? body.spot : true,
    diskSize,
    timeoutSeconds: minutes * 60,
    image: typeof body.image === 'string' && body.image.trim() !== '' ? body.image : DEFAULT_IMAGE,
    outputPaths: outputs!,
    maxRetries,
  };
}

function jobOf(req: SimRequest, ctx: Ctx): JobRecord | undefined {
  return ctx.state.jobs.get(req.params.id);
}

const notFound = (id: string) => json(404, { error: `Job ${id} not found` });

export const JOB_ROUTES: readonly Route[] = [
  {
    method: 'POST',
    path: '/jobs/',
    handle: (req, ctx) => {
      const spec = parseSpec(ctx, jsonBody(req));
      if ('details' in spec) return validationError(spec.details);
      const job: JobRecord = {
        id: `job_${ctx.world.prng.hex(8)}`,
        spec,
        status: 'pending',
        createdAt: ctx.world.clock.platformNow(),
        startedAt: null,
        completedAt: null,
        instanceId: null,
        sshPort: null,
        totalCost: 0,
        gpuHours: 0,
        errorMessage: null,
        logs: '',
        attempts: [],
        outputKeys: [],
        child: null,
        cancelRequested: false,
        interruption: null,
      };
      ctx.state.jobs.set(job.id, job);
      ctx.world.log(`job ${job.id} submitted (${spec.name}: ${spec.numGpus}x ${spec.gpuType})`);
      // Dumont runs each job in a thread of its own; the answer does not wait for it.
      void runJob(ctx.world, ctx.state, job).catch((err: unknown) => {
        if (!FINISHED.includes(job.status)) {
          job.status = 'failed';
          job.errorMessage = `Internal error: ${(err as Error).message}`;
          job.completedAt = ctx.world.clock.platformNow();
        }
      });
      return json(201, jobRow(job, ctx.world.profile === 'dumont-as-is'));
    },
  },
  {
    method: 'GET',
    path: '/jobs/',
    handle: (req, ctx) => {
      const limit = Math.min(100, Math.max(1, Number(req.query.get('limit') ?? 50) || 50));
      const status = req.query.get('status');
      const all = [...ctx.state.jobs.values()]
        .filter((j) => !status || j.status === status)
        .sort((a, b) => b.createdAt - a.createdAt);
      return json(200, {
        jobs: all.slice(0, limit).map((j) => jobRow(j, ctx.world.profile === 'dumont-as-is')),
        total: all.length,
      });
    },
  },
  {
    method: 'GET',
    path: '/jobs/:id',
    handle: (req, ctx) => {
      const job = jobOf(req, ctx);
      return job ? json(200, jobRow(job, ctx.world.profile === 'dumont-as-is')) : notFound(req.params.id);
    },
  },
  {
    method: 'POST',
    path: '/jobs/:id/cancel',
    destroys: true,
    handle: (req, ctx) => {
      const job = jobOf(req, ctx);
      if (!job) return notFound(req.params.id);
      if (FINISHED.includes(job.status)) return json(400, { error: `Job ${job.id} already finished (${job.status})` });
      cancelJob(ctx.world, job);
      return json(200, jobRow(job, ctx.world.profile === 'dumont-as-is'));
    },
  },
  {
    method: 'GET',
    path: '/jobs/:id/logs',
    handle: (req, ctx) => {
      const job = jobOf(req, ctx);
      return job ? json(200, { job_id: job.id, logs: logsOf(ctx.world, job) }) : notFound(req.params.id);
    },
  },
];
