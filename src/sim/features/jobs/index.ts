/**
 * Batch jobs on the Dumont face (`docs/simulator.md` § Jobs): a job rents an instance (spot at the bid price when
 * asked), runs its command as real processes inside it with live logs, enforces its timeout, installs pip packages
 * from the simulator's offline index, uploads its output paths to the user's bucket, retries a failed run on a fresh
 * instance and destroys the instance at the end. Its defects (`./defects.ts`) break one scenario check each (53–64).
 */
import { defineFeature } from '../types';
import { JOB_DEFECTS } from './defects';
import { JOB_ROUTES } from './job-routes';
import { cancelJob, killJob } from './job-runner';
import { FINISHED, newJobsState, type JobsState } from './job-store';

export type { JobsState } from './job-store';

/** The jobs feature module. */
export const jobs = defineFeature<JobsState>({
  name: 'jobs',
  createState: () => newJobsState(),
  defects: JOB_DEFECTS,
  routes: { dumont: JOB_ROUTES },
  on: {
    // A job whose instance disappears under it (destroyed by someone else, host failure) fails, as Dumont's
    // monitor sees the instance gone; its processes died with the instance.
    // A spot interruption (or any host failure) under a running job: its processes are gone; the run fails and is
    // retried on a fresh instance when the job allows it.
    'host-failure': ({ instance, reason }, { world, state }) => {
      for (const job of state.jobs.values())
        if (job.instanceId === instance.id && !FINISHED.includes(job.status)) {
          world.log(`job ${job.id}: its instance ${instance.id} was interrupted (${reason})`);
          job.interruption = reason;
          killJob(job);
        }
    },
    destroy: ({ instance }, { world, state }) => {
      for (const job of state.jobs.values())
        if (job.instanceId === instance.id && !FINISHED.includes(job.status) && job.child) {
          world.log(`job ${job.id}: its instance ${instance.id} was destroyed under it`);
          killJob(job);
        }
    },
  },
  view: ({ state }) => ({
    jobs: [...state.jobs.values()].map((j) => ({
      id: j.id,
      name: j.spec.name,
      status: j.status,
      instance_id: j.instanceId,
      attempts: j.attempts.length,
      outputs: j.outputKeys.length,
    })),
  }),
  shutdown: async ({ world, state }) => {
    for (const job of state.jobs.values()) if (!FINISHED.includes(job.status)) cancelJob(world, job);
    if (state.index) await (await state.index).close();
  },
});
