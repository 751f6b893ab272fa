/**
 * Steps the fine-tuning scenarios (77–84) share: make a small alpaca dataset, upload it, start a job as a resource of
 * a step (named with the step's label, its checkpoints and exports under that label in the bucket), wait for it with
 * a window fixed before the action, and turn the platform's timestamps into steps per second.
 */
import { isCancellation } from '@temporalio/workflow';
import type { FinetuneJobInfo } from '../../../activities/finetune';
import { CheckFailed, messageOf, must, type ScenarioContext } from '../../kit';

/** The base model of every job (Unsloth's 4-bit Llama 3 8B, Dumont's example). */
export const BASE_MODEL = 'unsloth/llama-3-8b-bnb-4bit';
/** The GPU the jobs ask for (plenty of 1× and 2× offers). */
export const GPU_TYPE = 'RTX_4090';
/** Platform seconds a job may take to rent and boot its instance before training (a slow boot included). */
const BOOT_BUDGET = 1200;
/** Platform seconds per step the waits allow (a 4090 trains an 8B LoRA at ~0.6 steps/s). */
const SECONDS_PER_STEP_BUDGET = 4;

/** Platform seconds to allow a job of `steps` steps from its start to its last step. */
export const trainingBudget = (steps: number): number => BOOT_BUDGET + steps * SECONDS_PER_STEP_BUDGET;

/** `n` alpaca records about `topic`, one JSON object per line (the topic makes the dataset, and its curve, its own). */
export function alpacaDataset(n: number, topic: string): string {
  return Array.from({ length: n }, (_, i) =>
    JSON.stringify({
      instruction: `Write sentence ${i + 1} about ${topic}.`,
      input: '',
      output: `${topic} sentence ${i + 1}: ${'lorem ipsum '.repeat(1 + (i % 5)).trim()}.`,
    })
  ).join('\n');
}

/** An uploaded dataset: where the platform keeps it, and the SHA-256 and record count of what was sent. */
export interface Uploaded {
  datasetPath: string;
  sha256: string;
  records: number;
}

/** Uploads `content` as `step`'s dataset; a refusal is the failed check `check` and ends the body. */
export async function uploadDataset(
  ctx: ScenarioContext,
  step: string,
  content: string,
  check = 'dataset-uploaded'
): Promise<Uploaded> {
  const up = await ctx.steps.uploadFinetuneDataset({
    label: ctx.label(step),
    filename: `${step}.jsonl`,
    content,
    format: 'alpaca',
  });
  ctx.check(
    check,
    'the platform accepted the dataset',
    up.accepted,
    up.accepted ? `${up.records} records at ${up.datasetPath}` : up.error
  );
  must(up.accepted, 'dataset refused');
  return { datasetPath: up.accepted ? up.datasetPath : '', sha256: up.sha256, records: up.records };
}

/** What a job is asked to do. */
export interface JobSpec {
  datasetPath: string;
  maxSteps: number;
  saveSteps?: number;
  numGpus?: number;
  resumeFromJobId?: string;
}

/**
 * Starts a fine-tune job as the resource of `step` (cancelled, deleted and its bucket objects removed on cleanup).
 * A refusal is the failed check `<step>-started` and ends the body.
 */
export async function startJob(ctx: ScenarioContext, step: string, spec: JobSpec): Promise<FinetuneJobInfo> {
  const check = `${step}-started`;
  try {
    const started = await ctx.acquire('finetune-job', step, (label) =>
      ctx.steps.startFinetuneJob({
        suiteId: ctx.suiteId,
        name: label,
        baseModel: BASE_MODEL,
        datasetPath: spec.datasetPath,
        datasetFormat: 'alpaca',
        gpuType: GPU_TYPE,
        numGpus: spec.numGpus ?? 1,
        maxSteps: spec.maxSteps,
        saveSteps: spec.saveSteps ?? 1000,
        outputPrefix: label,
        ...(spec.resumeFromJobId ? { resumeFromJobId: spec.resumeFromJobId } : {}),
      })
    );
    if (started.adopted) ctx.warn(`${step}: the create's answer was lost; adopted job ${started.job.id} by its name`);
    ctx.check(check, `${step}: the platform accepted the fine-tune job`, true, `job ${started.job.id}`);
    return started.job;
  } catch (err) {
    if (isCancellation(err)) throw err;
    ctx.check(check, `${step}: the platform accepted the fine-tune job`, false, messageOf(err));
    throw new CheckFailed(check);
  }
}

/** Waits (window fixed now) until the job ends, or reaches a step, or has checkpoints synced; see `waitForFinetune`. */
export async function awaitJob(
  ctx: ScenarioContext,
  job: FinetuneJobInfo,
  until: { statuses?: string[]; minStep?: number; minCheckpoints?: number },
  budgetSeconds: number
): Promise<{ job: FinetuneJobInfo; reached: boolean }> {
  const window = await ctx.window(budgetSeconds);
  return ctx.steps.waitForFinetune({ jobId: job.id, ...until, ...window });
}

/** Waits for the job to complete; the failed check `check` (with its status and step) ends the body otherwise. */
export async function completeJob(
  ctx: ScenarioContext,
  job: FinetuneJobInfo,
  check: string,
  steps: number
): Promise<FinetuneJobInfo> {
  const done = await awaitJob(ctx, job, { statuses: ['completed'] }, trainingBudget(steps));
  must(
    ctx.check(check, `job ${job.id} reached completed`, done.job.status === 'completed', describeJob(done.job)),
    'job did not complete'
  );
  return done.job;
}

/** `running at step 40/100, loss 1.23` */
export function describeJob(j: FinetuneJobInfo): string {
  const loss = j.loss === null ? '' : `, loss ${j.loss}`;
  const error = j.errorMessage ? ` (${j.errorMessage})` : '';
  return `${j.status} at step ${j.currentStep}/${j.totalSteps}${loss}${error}`;
}

/** Steps per platform second of a finished job, from the platform's own start and end times (undefined without). */
export function stepsPerSecond(j: FinetuneJobInfo, steps: number): number | undefined {
  if (j.startedAtMs === null || j.completedAtMs === null || j.completedAtMs <= j.startedAtMs) return undefined;
  return steps / ((j.completedAtMs - j.startedAtMs) / 1000);
}

/**
 * The instance a job rented (found by the job's label, at the platform and at VAST); the failed check `check` ends
 * the body when there is none.
 */
export async function jobInstance(ctx: ScenarioContext, step: string, check: string): Promise<number> {
  const found = await ctx.steps.listByLabel({ labelPrefix: ctx.label(step), kinds: ['instance'] });
  const id = found.resources[0]?.id;
  must(
    ctx.check(
      check,
      `the job's instance is listed under its label`,
      id !== undefined,
      found.lines.join('; ') || 'none'
    ),
    'no instance'
  );
  return id!;
}

/** Runs an extension call; a failure (e.g. "platform lacks …") is the failed check `check` and ends the body. */
export async function extension<T>(
  ctx: ScenarioContext,
  check: string,
  name: string,
  call: () => Promise<T>
): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (isCancellation(err)) throw err;
    ctx.check(check, name, false, messageOf(err));
    throw new CheckFailed(check);
  }
}
