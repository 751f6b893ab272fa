import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import { jobsApi, type JobRequest, type JobRow } from '../platform/dumont/jobs';
import { PlatformError } from '../platform/errors';
import type { ActivityDeps } from './deps';
import { platformSecondsSince, pollUntil, scaled, type WaitWindow } from './polling';

export type { JobRequest } from '../platform/dumont/jobs';

/** Statuses a job never leaves. */
export const FINISHED_JOB_STATUSES = ['completed', 'failed', 'timeout', 'cancelled'];

/** One run of a job (the attempts extension). */
export interface JobAttemptInfo {
  attempt: number;
  instanceId: number | null;
  status: string;
  exitCode: number | null;
  startedAtMs: number | null;
  completedAtMs: number | null;
}

/** A job as the scenarios see it (plain JSON, no secrets). Times are the platform's, epoch ms. */
export interface JobInfo {
  id: string;
  name: string;
  status: string;
  instanceId: number | null;
  sshPort: number | null;
  createdAtMs: number | null;
  startedAtMs: number | null;
  completedAtMs: number | null;
  totalCost: number | null;
  gpuHours: number | null;
  errorMessage: string | null;
  /** Null when the platform keeps no attempts (Dumont: it never retries). */
  attempts: JobAttemptInfo[] | null;
}

const ms = (iso: string | null | undefined): number | null => {
  if (!iso) return null;
  const t = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : `${iso}Z`);
  return Number.isFinite(t) ? t : null;
};

const info = (r: JobRow): JobInfo => ({
  id: r.id,
  name: r.name,
  status: r.status,
  instanceId: r.instance_id,
  sshPort: r.ssh_port,
  createdAtMs: ms(r.created_at),
  startedAtMs: ms(r.started_at),
  completedAtMs: ms(r.completed_at),
  totalCost: r.total_cost,
  gpuHours: r.gpu_hours,
  errorMessage: r.error_message,
  attempts: r.attempts
    ? r.attempts.map((a) => ({
        attempt: a.attempt,
        instanceId: a.instance_id,
        status: a.status,
        exitCode: a.exit_code,
        startedAtMs: ms(a.started_at),
        completedAtMs: ms(a.completed_at),
      }))
    : null,
});

/** One object a job left in the bucket: its key, size and MD5, read back with the S3 client. */
export interface BucketObjectDigest {
  key: string;
  size: number;
  md5: string;
}

/** Job activities: Dumont's own routes, plus reading the user's bucket with an S3 client. */
export function createJobActivities(deps: ActivityDeps) {
  const api = jobsApi(deps.dumont);
  const minPoll = deps.minPollMs ?? 25;
  return {
    /**
     * Submits a job named with its label; adopts the job already carrying the name (a retry after a lost answer).
     * The suite's SSH key is registered first, so the job's instance (`ssh_host`/`ssh_port`) lets the suite in.
     */
    async submitJob(input: { suiteId: string; request: JobRequest }): Promise<{ job: JobInfo; adopted: boolean }> {
      await deps.keys.ensureRegistered(input.suiteId);
      const existing = (await api.list()).find((j) => j.name === input.request.name);
      if (existing) return { job: info(existing), adopted: true };
      return { job: info(await api.submit(input.request)), adopted: false };
    },
    async getJob(input: { id: string }): Promise<JobInfo> {
      return info(await api.get(input.id));
    },
    /**
     * Waits until the job has started (`running`, or already past it) or has finished, or the window's deadline.
     * Does not throw on the deadline: the caller checks `reached`.
     */
    async waitJob(
      input: WaitWindow & { id: string; until: 'started' | 'finished' }
    ): Promise<{ job: JobInfo; reached: boolean; platformSeconds: number }> {
      let last: JobInfo | undefined;
      const reached = await pollUntil(
        async () => {
          last = info(await api.get(input.id));
          const done = FINISHED_JOB_STATUSES.includes(last.status);
          return done || (input.until === 'started' && last.startedAtMs !== null) ? true : undefined;
        },
        {
          deadlineMs: input.deadlineMs,
          startedAtMs: input.startedAtMs,
          intervalMs: Math.max(minPoll, scaled(2, input.timeScale)),
        }
      );
      return { job: last!, reached: reached === true, platformSeconds: platformSecondsSince(input) };
    },
    async jobLogs(input: { id: string }): Promise<string> {
      return api.logs(input.id);
    },
    /** Cancels a job; one that already finished (400) is answered with its state. */
    async cancelJob(input: { id: string }): Promise<JobInfo> {
      try {
        return info(await api.cancel(input.id));
      } catch (err) {
        if (PlatformError.is(err) && err.status === 400) return info(await api.get(input.id));
        throw err;
      }
    },
    /** The cheapest on-demand $/h of a GPU model and count on the market now (null when none is offered). */
    async onDemandPrice(input: { gpuName: string; numGpus: number }): Promise<number | null> {
      const offers = await deps.dumont.searchOffers({
        gpu_name: input.gpuName,
        num_gpus: input.numGpus,
        machine_type: 'on-demand',
      });
      const prices = offers.filter((o) => o.gpu_name === input.gpuName).map((o) => o.dph_total);
      return prices.length ? Math.min(...prices) : null;
    },
    /** Every object under `prefix` in the user's bucket with its MD5, read with the S3 client. */
    async bucketDigests(input: { prefix: string }): Promise<BucketObjectDigest[]> {
      const store = deps.objectStore;
      if (!store)
        throw ApplicationFailure.nonRetryable(
          'the worker has no object store configured (DUMONT_E2E_S3_ENDPOINT, _BUCKET, _ACCESS_KEY_ID, _SECRET_ACCESS_KEY): cannot read what the platform stored',
          'InvalidInput'
        );
      const out: BucketObjectDigest[] = [];
      for (const o of await store.list(input.prefix)) {
        const body = await store.get(o.key);
        if (body) out.push({ key: o.key, size: body.length, md5: createHash('md5').update(body).digest('hex') });
      }
      return out;
    },
  };
}
