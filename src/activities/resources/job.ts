import { jobsApi } from '../../platform/dumont/jobs';
import { PlatformLacksError } from '../../platform/errors';
import type { FoundResource, ResourceKind } from './types';

const FINISHED = ['completed', 'failed', 'timeout', 'cancelled'];

/** The numeric id of a job: the 8 hex digits of `job_xxxxxxxx` read as a number. */
export const jobNumber = (id: string): number => parseInt(id.replace(/^job_/, '').slice(0, 8), 16);
const jobIdOf = (n: number): string => `job_${n.toString(16).padStart(8, '0')}`;

/**
 * A job still running, labelled by its name (the harness names every job with its step label). A finished job holds
 * nothing (its instance is a resource of its own, under the same label); cancelling one that just finished is done.
 */
export const jobKind: ResourceKind = {
  name: 'job',
  destroyOrder: -1,
  async list(deps, prefix) {
    let rows;
    try {
      rows = await jobsApi(deps.dumont).list();
    } catch (err) {
      if (err instanceof PlatformLacksError) return [];
      throw err;
    }
    return rows
      .filter((j) => j.name.startsWith(prefix) && !FINISHED.includes(j.status) && /^job_[0-9a-f]{8}$/.test(j.id))
      .map((j): FoundResource => ({ kind: 'job', id: jobNumber(j.id), label: j.name, seenAt: ['dumont'] }));
  },
  async destroy(deps, found) {
    const api = jobsApi(deps.dumont);
    try {
      await api.cancel(jobIdOf(found.id));
    } catch (err) {
      const status = (err as { status?: number }).status;
      if (status !== 400 && status !== 404) throw err;
    }
    return {};
  },
};
