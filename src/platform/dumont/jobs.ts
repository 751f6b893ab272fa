/**
 * Dumont's job routes (docs/platform-contract.md § Jobs): submit, list, get, cancel and logs, with their trailing
 * slashes. A route the platform does not have answers {@link PlatformLacksError}.
 */
import { z } from 'zod';
import type { DumontClient } from '../types';
import { lacksAwareCall, num, optNum, optStr } from './routes';

const attemptSchema = z.looseObject({
  attempt: num,
  instance_id: optNum,
  status: z.string(),
  exit_code: optNum,
  started_at: optStr,
  completed_at: optStr,
});

const jobSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  status: z.string(),
  gpu_type: optStr,
  instance_id: optNum,
  ssh_host: optStr,
  ssh_port: optNum,
  created_at: optStr,
  started_at: optStr,
  completed_at: optStr,
  duration: optNum,
  total_cost: optNum,
  gpu_hours: optNum,
  error_message: optStr,
  /** Extension: the runs of a job that was retried. */
  attempts: z.array(attemptSchema).nullish(),
});
/** Dumont's `JobResponse`. */
export type JobRow = z.output<typeof jobSchema>;

/** What the harness asks a job to do (`CreateJobRequest`, the fields it uses). */
export interface JobRequest {
  name: string;
  source?: 'command';
  command: string;
  pip_packages?: string[];
  gpu_type: string;
  num_gpus?: number;
  use_spot?: boolean;
  /** Minutes; the unvalidated alias of `timeout_minutes`, so short timeouts work. */
  timeout?: number;
  output_paths?: string[];
  auto_destroy?: boolean;
  max_retries?: number;
  image?: string;
}

/** The job client over one Dumont client. */
export function jobsApi(dumont: DumontClient) {
  const call = lacksAwareCall(dumont, (path) => path.replace(/\/job_[0-9a-z]+(?=\/|$)/g, '/{id}'));
  return {
    /** Not idempotent: the caller looks for the job's name before any second try. */
    submit: (req: JobRequest) =>
      call({ method: 'POST', path: '/api/v1/jobs/', data: req, schema: jobSchema, idempotent: false }),
    list: () =>
      call({
        method: 'GET',
        path: '/api/v1/jobs/',
        params: { limit: 100 },
        schema: z.looseObject({ jobs: z.array(z.unknown()).nullish() }),
      }).then((b) =>
        (b.jobs ?? []).flatMap((row) => {
          const parsed = jobSchema.safeParse(row);
          return parsed.success ? [parsed.data] : [];
        })
      ),
    get: (id: string) => call({ method: 'GET', path: `/api/v1/jobs/${id}`, schema: jobSchema }),
    /** Cancels; a job already finished answers 400, which the caller may treat as done. */
    cancel: (id: string) =>
      call({ method: 'POST', path: `/api/v1/jobs/${id}/cancel`, schema: jobSchema, idempotent: true }),
    logs: (id: string) =>
      call({
        method: 'GET',
        path: `/api/v1/jobs/${id}/logs`,
        schema: z.looseObject({ logs: optStr }),
      }).then((b) => b.logs ?? ''),
  };
}

export type JobsApi = ReturnType<typeof jobsApi>;
