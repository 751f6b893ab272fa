import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import { finetuneApi, type FinetuneJobRequest, type FinetuneJobRow } from '../platform/dumont/finetune';
import { InvalidRequestError } from '../platform/errors';
import type { ObjectStoreClient } from '../platform/object-store';
import type { ActivityDeps } from './deps';
import { RESOURCE_KINDS, describeResource } from './resources';
import { summariseLogs, type LogSummary } from './finetune-logs';
import { blindMs, noteObserved, observedBefore, pause, withHeartbeat, type WaitWindow } from './polling';

export type { LogSummary } from './finetune-logs';

/** A fine-tune job as the scenarios see it (plain JSON; times are platform epoch ms). */
export interface FinetuneJobInfo {
  id: string;
  name: string;
  status: string;
  numGpus: number;
  currentStep: number;
  totalSteps: number;
  loss: number | null;
  startedAtMs: number | null;
  completedAtMs: number | null;
  checkpointSyncCount: number;
  outputModelPath: string | null;
  errorMessage: string | null;
  resumedFromStep: number | null;
}

const TERMINAL = ['completed', 'failed', 'cancelled'];

/** Log samples a follow keeps (and carries across a retry in its heartbeats). */
const MAX_SAMPLES = 200;

/** The samples an earlier attempt heartbeated, when they read as samples; none otherwise. */
function carriedSamples(value: unknown): { atMs: number; step: number }[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (v): v is { atMs: number; step: number } =>
      typeof v === 'object' && v !== null && typeof v.atMs === 'number' && typeof v.step === 'number'
  );
}
const ms = (t: string | null): number | null => (t === null || Number.isNaN(Date.parse(t)) ? null : Date.parse(t));

const info = (r: FinetuneJobRow): FinetuneJobInfo => ({
  id: r.id,
  name: r.name,
  status: r.status,
  numGpus: r.num_gpus,
  currentStep: r.current_step,
  totalSteps: r.total_steps,
  loss: r.loss,
  startedAtMs: ms(r.started_at),
  completedAtMs: ms(r.completed_at),
  checkpointSyncCount: r.checkpoint_sync_count,
  outputModelPath: r.output_model_path,
  errorMessage: r.error_message,
  resumedFromStep: r.resumed_from_step,
});

const sha256 = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

function bucketOf(deps: ActivityDeps): ObjectStoreClient {
  if (!deps.objectStore)
    throw ApplicationFailure.nonRetryable(
      'the worker has no object store configured (DUMONT_E2E_S3_ENDPOINT, _BUCKET, _ACCESS_KEY_ID, _SECRET_ACCESS_KEY): cannot read what the platform stored',
      'InvalidInput'
    );
  return deps.objectStore;
}

/** One object the platform says it stored, as the bucket holds it. */
export interface ObjectCheck {
  key: string;
  expectedSize: number;
  expectedSha256: string;
  /** Size in the bucket, or null when absent. */
  size: number | null;
  sha256: string | null;
}

/** Fine-tuning activities: Dumont's routes and extensions, and reading what they stored with the S3 client. */
export function createFinetuneActivities(deps: ActivityDeps) {
  const api = finetuneApi(deps.dumont);
  const minPoll = deps.minPollMs ?? 25;

  async function verify(files: { key: string; size: number; sha256: string }[]): Promise<ObjectCheck[]> {
    const bucket = bucketOf(deps);
    const out: ObjectCheck[] = [];
    for (const f of files) {
      const body = await bucket.get(f.key);
      out.push({
        key: f.key,
        expectedSize: f.size,
        expectedSha256: f.sha256,
        size: body ? body.length : null,
        sha256: body ? sha256(body) : null,
      });
    }
    return out;
  }

  return {
    /**
     * Uploads `content` as a dataset. A refusal (400/422) is an answer, not a failure: `accepted: false` with the
     * platform's error. Returns the SHA-256 and record count of what was sent, to compare with what the job read.
     */
    async uploadFinetuneDataset(input: { label: string; filename: string; content: string; format: string }) {
      const body = Buffer.from(input.content);
      const records = input.content.split('\n').filter((l) => l.trim() !== '').length;
      try {
        const up = await api.uploadDataset(input.filename, body, input.format, input.label);
        return { accepted: true as const, datasetPath: up.dataset_path, sha256: sha256(body), records };
      } catch (err) {
        if (err instanceof InvalidRequestError)
          return {
            accepted: false as const,
            status: err.status ?? 400,
            error: err.message,
            sha256: sha256(body),
            records,
          };
        throw err;
      }
    },
    /**
     * Starts a job named `name` (its step label); adopts the job already carrying that name (a lost answer). The
     * suite's SSH key is registered on the account first, as a user's key would be.
     */
    async startFinetuneJob(
      input: FinetuneJobRequest & { suiteId: string }
    ): Promise<{ job: FinetuneJobInfo; adopted: boolean }> {
      const { suiteId, ...req } = input;
      const existing = (await api.list()).find((r) => r.name === req.name);
      if (existing) return { job: info(existing), adopted: true };
      // The suite's key on the account first, so the job's instance lets the harness log in and look.
      await deps.keys.ensureRegistered(suiteId);
      return { job: info(await api.create(req)), adopted: false };
    },
    async getFinetuneJob(input: { jobId: string }): Promise<FinetuneJobInfo> {
      return info(await api.get(input.jobId));
    },
    /**
     * Waits within the window until the job ends, or reaches `minStep`, or has `minCheckpoints` synced; `reached`
     * says whether the condition held (a job that ended otherwise, or the deadline, gives false).
     */
    async waitForFinetune(
      input: { jobId: string; statuses?: string[]; minStep?: number; minCheckpoints?: number } & WaitWindow
    ): Promise<{ job: FinetuneJobInfo; reached: boolean }> {
      return withHeartbeat(async () => {
        const statuses = input.statuses ?? TERMINAL;
        const interval = Math.max(minPoll, 1000 * input.timeScale);
        for (;;) {
          const job = info(await api.get(input.jobId));
          const reached =
            statuses.includes(job.status) ||
            (input.minStep !== undefined && job.currentStep >= input.minStep && job.status === 'running') ||
            (input.minCheckpoints !== undefined && job.checkpointSyncCount >= input.minCheckpoints);
          if (reached || TERMINAL.includes(job.status) || Date.now() >= input.deadlineMs) return { job, reached };
          await pause(Math.min(interval, Math.max(0, input.deadlineMs - Date.now())));
        }
      });
    },
    /**
     * Follows a job's logs until it ends (or the deadline): each poll reads the job, then its logs, and records the
     * highest logged step while the job was running. Returns those samples, the job, and the final logs' summary.
     *
     * An observation of something that happens once: what it saw rides with every heartbeat, so a retry after its
     * worker died keeps the samples the dead attempt read instead of starting from none, and its deadline moves by the
     * time no worker could look (`blindMs`, also returned, so a check can say its observer was away).
     */
    async followFinetuneLogs(input: { jobId: string } & WaitWindow) {
      const samples = carriedSamples(observedBefore()?.samples);
      const blind = blindMs(input.startedAtMs);
      const deadlineMs = input.deadlineMs + blind;
      const seen = () => ({ samples: samples.slice(-MAX_SAMPLES), ...(blind ? { blindMs: blind } : {}) });
      noteObserved(seen());
      return withHeartbeat(async () => {
        const interval = Math.max(minPoll, 500 * input.timeScale);
        let failedPolls = 0;
        for (;;) {
          let job: FinetuneJobInfo;
          let logs: string;
          try {
            job = info(await api.get(input.jobId));
            logs = await api.logs(input.jobId, 10_000);
          } catch (err) {
            // A poll lost to a transient fault is a missing sample, not a failed follow.
            if (++failedPolls > 50 || !(err as { retryable?: boolean }).retryable) throw err;
            await pause(interval);
            continue;
          }
          const summary = summariseLogs(logs);
          if (job.status === 'running') {
            samples.push({ atMs: Date.now(), step: summary.steps.at(-1)?.step ?? 0 });
            noteObserved(seen());
          }
          if (TERMINAL.includes(job.status) || Date.now() >= deadlineMs) {
            const final = TERMINAL.includes(job.status) ? summariseLogs(await api.logs(input.jobId, 10_000)) : summary;
            return { job, final, ...seen() };
          }
          await pause(Math.min(interval, Math.max(0, deadlineMs - Date.now())));
        }
      });
    },
    async finetuneLogSummary(input: { jobId: string }): Promise<LogSummary> {
      return summariseLogs(await api.logs(input.jobId, 10_000));
    },
    /** Cancels a job; a repeat (400 "not running") is fine when the job reads cancelled. */
    async cancelFinetuneJob(input: { jobId: string }): Promise<FinetuneJobInfo> {
      try {
        await api.cancel(input.jobId);
      } catch (err) {
        if (!(err instanceof InvalidRequestError)) throw err;
        const job = info(await api.get(input.jobId));
        if (job.status !== 'cancelled') throw err;
      }
      return info(await api.get(input.jobId));
    },
    /** Extension: the checkpoints the platform lists for a job. */
    async finetuneCheckpoints(input: { jobId: string }) {
      return (await api.checkpoints(input.jobId)).map((c) => ({
        step: c.step,
        loss: c.loss ?? null,
        prefix: c.prefix,
        files: c.files,
      }));
    },
    /**
     * The checkpoint directories the bucket holds under `prefix/checkpoints/`, read with the S3 client: each one's
     * objects and the step and loss its `trainer_state.json` records.
     */
    async bucketCheckpoints(input: { prefix: string }) {
      const bucket = bucketOf(deps);
      const objects = await bucket.list(`${input.prefix}/checkpoints/`);
      const dirs = new Map<string, { key: string; size: number }[]>();
      for (const o of objects) {
        const dir = o.key.slice(0, o.key.lastIndexOf('/'));
        dirs.set(dir, [...(dirs.get(dir) ?? []), o]);
      }
      const out: { dir: string; step: number | null; loss: number | null; bytes: number; files: string[] }[] = [];
      for (const [dir, files] of [...dirs].sort()) {
        const state = await bucket.get(`${dir}/trainer_state.json`);
        let parsed: { global_step?: number; loss?: number } = {};
        try {
          parsed = state ? (JSON.parse(state.toString('utf8')) as typeof parsed) : {};
        } catch {
          parsed = {};
        }
        out.push({
          dir,
          step: typeof parsed.global_step === 'number' ? parsed.global_step : null,
          loss: typeof parsed.loss === 'number' ? parsed.loss : null,
          bytes: files.reduce((s, f) => s + f.size, 0),
          files: files.map((f) => f.key.slice(dir.length + 1)).sort(),
        });
      }
      return out;
    },
    /** Extension: exports a completed job; the platform's answer and the real time it took. */
    async exportFinetune(input: { jobId: string }) {
      const started = Date.now();
      const answer = await api.export(input.jobId);
      return {
        prefix: answer.export_prefix,
        manifestKey: answer.manifest_key,
        files: answer.files,
        totalBytes: answer.total_bytes,
        platformSeconds: answer.duration_seconds ?? null,
        realMs: Date.now() - started,
      };
    },
    /** Reads an export's manifest from the bucket and every file it names, with their sizes and SHA-256s. */
    async readExport(input: { prefix: string; manifestKey: string }) {
      const bucket = bucketOf(deps);
      const raw = await bucket.get(input.manifestKey);
      if (!raw) return { manifest: null, checks: [] as ObjectCheck[] };
      let manifest: { files?: { name: string; size: number; sha256: string }[] };
      try {
        manifest = JSON.parse(raw.toString('utf8')) as typeof manifest;
      } catch {
        return { manifest: null, checks: [] as ObjectCheck[] };
      }
      const files = (manifest.files ?? []).map((f) => ({
        key: `${input.prefix}/${f.name}`,
        size: f.size,
        sha256: f.sha256,
      }));
      return { manifest: { files: manifest.files ?? [] }, checks: await verify(files) };
    },
    /**
     * Waits within the window until no instance carries a label under `labelPrefix` (at the platform or at VAST):
     * how a job's GPU is seen to be released. `remaining` names what is still there at the deadline.
     */
    async waitForNoInstance(input: { labelPrefix: string } & WaitWindow) {
      return withHeartbeat(async () => {
        const interval = Math.max(minPoll, 2000 * input.timeScale);
        for (;;) {
          const found = await RESOURCE_KINDS.instance.list(deps, input.labelPrefix, () => undefined);
          if (found.length === 0 || Date.now() >= input.deadlineMs)
            return {
              gone: found.length === 0,
              remaining: found.map(describeResource),
              platformSeconds: (Date.now() - input.startedAtMs) / 1000 / input.timeScale,
            };
          await pause(Math.min(interval, Math.max(0, input.deadlineMs - Date.now())));
        }
      });
    },
    /** Reads each object from the bucket: its size and SHA-256 against what the platform said. */
    async verifyBucketObjects(input: { files: { key: string; size: number; sha256: string }[] }) {
      return verify(input.files);
    },
  };
}
