/** The jobs feature's state: every job submitted, with its attempts and live logs, and Dumont's `JobResponse`. */
import type { ChildProcess } from 'node:child_process';
import type { PackageIndex } from './package-index';

/** Dumont's job statuses. */
export type JobStatus = 'pending' | 'provisioning' | 'running' | 'completed' | 'failed' | 'timeout' | 'cancelled';

/** Statuses a job never leaves. */
export const FINISHED: readonly JobStatus[] = ['completed', 'failed', 'timeout', 'cancelled'];

/** One run of a job on one instance (an extension: Dumont keeps no attempts, it never retries). */
export interface JobAttempt {
  attempt: number;
  instanceId: number | null;
  status: JobStatus;
  exitCode: number | null;
  startedAt: number | null;
  completedAt: number | null;
}

/** What a job was asked to do (`CreateJobRequest`). */
export interface JobSpec {
  name: string;
  source: string;
  command: string;
  setupScript: string | null;
  pipPackages: string[];
  gpuType: string;
  numGpus: number;
  useSpot: boolean;
  diskSize: number;
  timeoutSeconds: number;
  image: string;
  outputPaths: string[];
  maxRetries: number;
}

/** One job. Times are platform epoch seconds. */
export interface JobRecord {
  id: string;
  spec: JobSpec;
  status: JobStatus;
  createdAt: number;
  startedAt: number | null;
  completedAt: number | null;
  instanceId: number | null;
  sshPort: number | null;
  /** Dollars billed while the job's commands ran, over all attempts. */
  totalCost: number;
  /** GPU-hours while the job's commands ran, over all attempts. */
  gpuHours: number;
  errorMessage: string | null;
  logs: string;
  attempts: JobAttempt[];
  outputKeys: string[];
  /** The running command of the current attempt (its process group is killed on timeout or cancel). */
  child: ChildProcess | null;
  cancelRequested: boolean;
  /** Why the current attempt's instance went away under it (a spot interruption, a host failure), if it did. */
  interruption: string | null;
}

/** Per-world state. */
export interface JobsState {
  jobs: Map<string, JobRecord>;
  /** The local package index, started at the first job that installs packages. */
  index: Promise<PackageIndex> | null;
}

export const newJobsState = (): JobsState => ({ jobs: new Map(), index: null });

const iso = (t: number | null): string | null => (t === null ? null : new Date(t * 1000).toISOString());
const round = (n: number, digits: number): number => Math.round(n * 10 ** digits) / 10 ** digits;

/** Dumont's `JobResponse`, plus the `attempts` and `output_keys` extensions (not under `dumont-as-is`). */
export function jobRow(job: JobRecord, asIs = false): Record<string, unknown> {
  const row: Record<string, unknown> = {
    id: job.id,
    name: job.spec.name,
    status: job.status,
    source: job.spec.source,
    gpu_type: job.spec.gpuType,
    num_gpus: job.spec.numGpus,
    use_spot: job.spec.useSpot,
    instance_id: job.instanceId,
    ssh_host: job.sshPort === null ? null : '127.0.0.1',
    ssh_port: job.sshPort,
    created_at: iso(job.createdAt),
    started_at: iso(job.startedAt),
    completed_at: iso(job.completedAt),
    duration: job.startedAt === null || job.completedAt === null ? null : round(job.completedAt - job.startedAt, 3),
    total_cost: round(job.totalCost, 6),
    gpu_hours: round(job.gpuHours, 6),
    error_message: job.errorMessage,
    attempts: job.attempts.map((a) => ({
      attempt: a.attempt,
      instance_id: a.instanceId,
      status: a.status,
      exit_code: a.exitCode,
      started_at: iso(a.startedAt),
      completed_at: iso(a.completedAt),
    })),
    output_keys: job.outputKeys,
  };
  if (asIs) {
    delete row.attempts;
    delete row.output_keys;
  }
  return row;
}
