/**
 * What a fine-tune job does in the simulator: rent an instance of the GPU and count it asks for, wait for it to run,
 * copy the dataset (and, when resuming, the checkpoint) there, start the training process (`trainer-script.ts`) as a
 * real process in the instance's process group, follow its output (step, loss, checkpoints), sync each checkpoint to
 * the bucket, and on completion upload the adapter and destroy the instance. Cancel kills it all. The defects
 * (`./defects.ts`) act here.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { createInstance } from '../../instances/instance-create';
import { destroyInstance } from '../../instances/instance-control';
import { instancePaths } from '../../instances/instance-files';
import type { SimInstance } from '../../instances/instance-record';
import type { SimWorld } from '../../world';
import type { CheckpointRecord, FinetuneJob, FinetuneState } from './finetune-store';
import { TRAINER_SCRIPT, type TrainerConfig } from './trainer-script';

/** Training steps per platform second of one GPU, by model (an 8B LoRA at batch 2 × 4). */
const STEPS_PER_SECOND: [RegExp, number][] = [
  [/H100/i, 1.4],
  [/A100/i, 0.9],
  [/4090/, 0.6],
  [/3090/, 0.45],
  [/3080/, 0.35],
];
/** Each extra rank adds this fraction of a GPU (gradient all-reduce costs the rest). */
const SCALING_EFFICIENCY = 0.9;
/** Platform seconds a job waits for its instance to run before it fails. */
const BOOT_WAIT_SECONDS = 900;
/** Bytes per platform second an export copies (object store to object store). */
const EXPORT_BYTES_PER_SECOND = 50e6;

export const TERMINAL = new Set(['completed', 'failed', 'cancelled']);
const asIs = (world: SimWorld): boolean => world.profile === 'dumont-as-is';

/** Steps per platform second of a job on `gpuName` × `ranks`. */
export function stepsPerSecond(gpuName: string, ranks: number): number {
  const base = STEPS_PER_SECOND.find(([re]) => re.test(gpuName))?.[1] ?? 0.5;
  return base * (ranks <= 1 ? 1 : ranks * SCALING_EFFICIENCY);
}

const norm = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** The cheapest free offer of `gpuType` (matched loosely: `A100` finds `A100 SXM4`) with exactly `numGpus`. */
function offerFor(world: SimWorld, gpuType: string, numGpus: number) {
  return world
    .availableOffers()
    .filter((o) => o.num_gpus === numGpus && norm(o.gpu_name).includes(norm(gpuType)))
    .sort((a, b) => a.dph_total - b.dph_total)[0];
}

/** The dataset the platform falls back to (Dumont's `yahma/alpaca-cleaned`): 64 fixed alpaca records. */
export const DEFAULT_DATASET = Buffer.from(
  Array.from({ length: 64 }, (_, i) =>
    JSON.stringify({ instruction: `Give fact number ${i} about llamas.`, input: '', output: `Llama fact ${i}.` })
  ).join('\n') + '\n'
);

function waitRunning(world: SimWorld, inst: SimInstance, deadline: number): Promise<boolean> {
  return new Promise((resolve) => {
    const look = (): void => {
      if (inst.destroyedAt !== null || inst.actual === 'exited') return resolve(false);
      if (inst.actual === 'running' && inst.sshPort !== null) return resolve(true);
      if (world.clock.platformNow() >= deadline) return resolve(false);
      world.clock.after(1, look);
    };
    look();
  });
}

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** Uploads every file of `dir` under `prefix/`; the records of what was put. */
function uploadDir(world: SimWorld, dir: string, prefix: string): CheckpointRecord['files'] {
  return fs
    .readdirSync(dir)
    .sort()
    .map((name) => {
      const body = fs.readFileSync(path.join(dir, name));
      const key = `${prefix}/${name}`;
      world.objectStore.put(key, body);
      return { key, size: body.length, sha256: sha256(body) };
    });
}

function fail(world: SimWorld, job: FinetuneJob, message: string): void {
  if (TERMINAL.has(job.status)) return;
  job.status = 'failed';
  job.errorMessage = message;
  job.completedAt = world.clock.platformNow();
  const inst = job.instanceId === null ? undefined : world.instances.get(job.instanceId);
  if (inst) destroyInstance(world, inst);
}

/** One line of the training process's output: logged, and read for step, loss, checkpoints and the end. */
function onLine(world: SimWorld, job: FinetuneJob, line: string): void {
  job.logs.push(line);
  const now = world.clock.platformNow();
  let m: RegExpMatchArray | null;
  if (/^\[rank 0\/\d+\] started at step/.test(line) && job.startedAt === null) job.startedAt = now;
  else if ((m = line.match(/^step (\d+)\/\d+ loss ([\d.]+)/))) {
    job.currentStep = Number(m[1]);
    job.loss = Number(m[2]);
  } else if ((m = line.match(/^checkpoint (checkpoint-\d+) step (\d+) loss ([\d.]+)/))) {
    if (world.has('checkpoints-not-saved', job.name)) return;
    const dir = path.join(outDirOf(world, job), 'checkpoints', m[1]);
    let files: CheckpointRecord['files'];
    try {
      files = uploadDir(world, dir, `${job.prefix}/checkpoints/${m[1]}`);
    } catch (err) {
      // The instance went away under the sync (destroyed): nothing left to sync.
      job.logs.push(`checkpoint sync failed: ${(err as Error).message}`);
      return;
    }
    job.checkpoints.push({
      step: Number(m[2]),
      loss: Number(m[3]),
      prefix: `${job.prefix}/checkpoints/${m[1]}`,
      files,
      syncedAt: now,
    });
    job.lastCheckpointSync = now;
  } else if ((m = line.match(/^done step (\d+) loss ([\d.]+)/))) {
    job.currentStep = Number(m[1]);
    job.loss = Number(m[2]);
    job.trainingEndedAt = now;
  }
}

function outDirOf(world: SimWorld, job: FinetuneJob): string {
  return path.join(instancePaths(world.dataDir, job.instanceId!).workspace, 'finetune');
}

/** The process ended: upload the adapter and complete the job (and release its GPU), or fail it. */
function onExit(world: SimWorld, job: FinetuneJob, code: number | null): void {
  job.process = null;
  if (TERMINAL.has(job.status)) return;
  if (code !== 0 || job.trainingEndedAt === null) return fail(world, job, `training exited with code ${code}`);
  try {
    job.output = uploadDir(world, path.join(outDirOf(world, job), 'output'), `${job.prefix}/output`);
  } catch (err) {
    return fail(world, job, `could not upload the adapter: ${(err as Error).message}`);
  }
  job.outputModelPath = `s3://${world.objectStore.bucket}/${job.prefix}/output`;
  // Dumont on VAST never learns that training ended: the job stays running and the GPU keeps billing.
  if (asIs(world) || world.has('finetune-never-completes', job.name)) return;
  job.status = 'completed';
  job.completedAt = job.trainingEndedAt;
  const inst = world.instances.get(job.instanceId!);
  if (inst) destroyInstance(world, inst);
}

/** Runs a job from rent to training; returns once the training process is started (or the job failed). */
export async function runJob(world: SimWorld, state: FinetuneState, job: FinetuneJob): Promise<void> {
  const offer = offerFor(world, job.gpuType, job.numGpus);
  if (!offer) return fail(world, job, `No offer for ${job.numGpus}x ${job.gpuType}`);
  const inst = createInstance(world, {
    offerId: offer.id,
    image: 'pytorch/pytorch:2.1.0-cuda12.1-cudnn8-devel',
    disk: 50,
    label: job.name,
    env: [],
    onstart: null,
    runtype: 'ssh',
    via: 'dumont',
  });
  if (inst === 'no_such_ask') return fail(world, job, `Offer ${offer.id} unavailable`);
  job.instanceId = inst.id;
  job.status = 'queued';
  if (!(await waitRunning(world, inst, world.clock.platformNow() + BOOT_WAIT_SECONDS)))
    return fail(world, job, `Instance ${inst.id} did not start`);
  if (TERMINAL.has(job.status)) return;
  job.status = 'uploading';
  const paths = instancePaths(world.dataDir, inst.id);
  const outDir = path.join(paths.workspace, 'finetune');
  fs.mkdirSync(outDir, { recursive: true });
  const uploaded = state.datasets.get(job.datasetPath);
  const useDefault = !uploaded || asIs(world) || world.has('trains-on-default-dataset', job.name);
  const datasetFile = path.join(outDir, 'dataset.jsonl');
  fs.writeFileSync(datasetFile, useDefault ? DEFAULT_DATASET : jsonlOf(uploaded.filename, uploaded.body));
  let startStep = 0;
  if (job.resumeFrom) {
    const from = state.jobs.get(job.resumeFrom.jobId);
    const cp = from?.checkpoints.find((c) => c.step === job.resumeFrom!.step);
    if (!cp) return fail(world, job, `Checkpoint ${job.resumeFrom.step} of ${job.resumeFrom.jobId} is gone`);
    const dir = path.join(outDir, 'checkpoints', `checkpoint-${cp.step}`);
    fs.mkdirSync(dir, { recursive: true });
    for (const f of cp.files) {
      const got = world.objectStore.get(f.key);
      if (!got) return fail(world, job, `Checkpoint object ${f.key} is missing`);
      fs.writeFileSync(path.join(dir, path.basename(f.key)), got.body);
    }
    const trained = JSON.parse(fs.readFileSync(path.join(dir, 'trainer_state.json'), 'utf8')) as {
      global_step: number;
    };
    startStep = world.has('resume-restarts-from-zero', job.name) ? 0 : trained.global_step;
    job.resumedFromStep = startStep;
    job.currentStep = startStep;
  }
  const singleGpu = world.has('finetune-single-gpu-only', job.name);
  const ranks = singleGpu ? 1 : job.numGpus;
  const cfg: TrainerConfig = {
    datasetPath: datasetFile,
    totalSteps: job.totalSteps,
    startStep,
    saveSteps: job.config.save_steps,
    stepMs: (1000 * world.clock.timeScale) / stepsPerSecond(inst.offer.gpu_name, ranks),
    ranks,
    logEvery: Math.max(1, Math.floor(job.totalSteps / 50)),
    outDir,
    loraRank: job.config.lora_rank,
  };
  const cfgFile = path.join(outDir, 'train-config.json');
  fs.writeFileSync(cfgFile, JSON.stringify(cfg));
  const script = path.join(paths.tools, 'finetune-train.cjs');
  fs.writeFileSync(script, TRAINER_SCRIPT);
  const groups = world.groups.get(inst.id);
  if (!groups || inst.destroyedAt !== null || TERMINAL.has(job.status))
    return fail(world, job, `Instance ${inst.id} is gone`);
  const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  const child = groups.spawn(`exec ${q(process.execPath)} ${q(script)} ${q(cfgFile)} 2>&1`, {
    cwd: paths.workspace,
    env: { HOME: paths.workspace, PATH: `${paths.bin}:/usr/local/bin:/usr/bin:/bin`, LANG: 'C.UTF-8' },
  });
  job.process = child;
  job.status = 'running';
  readline.createInterface({ input: child.stdout }).on('line', (line) => onLine(world, job, line));
  child.stderr.resume();
  // 'close', not 'exit': every line of its output is read (and acted on) before the end is.
  child.on('close', (code) => onExit(world, job, code));
}

/** A `.json` dataset (an array) as JSONL, the form the training reads; `.jsonl` as is. */
function jsonlOf(filename: string, body: Buffer): Buffer {
  if (!filename.toLowerCase().endsWith('.json')) return body;
  const all = JSON.parse(body.toString('utf8')) as unknown[];
  return Buffer.from(all.map((r) => JSON.stringify(r)).join('\n') + '\n');
}

/** Cancels a job: it is marked cancelled and its instance destroyed (which kills the training). */
export function cancelJob(world: SimWorld, job: FinetuneJob): void {
  job.status = 'cancelled';
  job.completedAt = world.clock.platformNow();
  if (world.has('finetune-cancel-leaves-gpu', job.name)) return;
  const inst = job.instanceId === null ? undefined : world.instances.get(job.instanceId);
  if (inst) destroyInstance(world, inst);
}

/** The instance of a job was destroyed under it (by hand, a sweep, a host failure): the job fails. */
export function instanceGone(world: SimWorld, state: FinetuneState, instanceId: number): void {
  for (const job of state.jobs.values())
    if (job.instanceId === instanceId && !TERMINAL.has(job.status)) {
      job.status = 'failed';
      job.errorMessage = `Instance ${instanceId} was destroyed`;
      job.completedAt = world.clock.platformNow();
    }
}

/** Exports a completed job's adapter: weights, config and a manifest with sizes and SHA-256s, under `prefix/export`. */
export async function exportJob(
  world: SimWorld,
  job: FinetuneJob
): Promise<{ prefix: string; manifestKey: string; files: CheckpointRecord['files']; seconds: number }> {
  const started = world.clock.platformNow();
  const prefix = `${job.prefix}/export`;
  const files: CheckpointRecord['files'] = [];
  let bytes = 0;
  for (const f of job.output ?? []) {
    const name = path.basename(f.key);
    if (name === 'trainer_state.json') continue;
    if (name.endsWith('.safetensors') && world.has('export-missing-weights', job.name)) continue;
    const got = world.objectStore.get(f.key);
    if (!got) continue;
    world.objectStore.put(`${prefix}/${name}`, got.body);
    files.push({ key: `${prefix}/${name}`, size: got.body.length, sha256: sha256(got.body) });
    bytes += got.body.length;
  }
  await new Promise((resolve) => world.clock.after(1 + bytes / EXPORT_BYTES_PER_SECOND, () => resolve(undefined)));
  const manifestKey = `${prefix}/manifest.json`;
  const manifest = {
    job_id: job.id,
    base_model: job.baseModel,
    step: job.currentStep,
    loss: job.loss,
    files: files.map((f) => ({ name: path.basename(f.key), size: f.size, sha256: f.sha256 })),
  };
  world.objectStore.put(manifestKey, Buffer.from(JSON.stringify(manifest, null, 2)), 'application/json');
  return { prefix, manifestKey, files, seconds: world.clock.platformNow() - started };
}
