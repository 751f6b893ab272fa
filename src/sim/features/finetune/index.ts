/**
 * Fine-tuning on the Dumont face (`docs/simulator.md` § Fine-tuning): validated dataset uploads, jobs that rent an
 * instance and run a real training process in it (steps at the GPUs' rate, one rank per GPU, a deterministic loss
 * curve of the dataset), checkpoints synced to the bucket, cancel, export and resume (extensions). Its defects
 * (`./defects.ts`) break one scenario check each (77–84).
 */
import { defineFeature } from '../types';
import { FINETUNE_DEFECTS } from './defects';
import { instanceGone } from './finetune-engine';
import { FINETUNE_ROUTES } from './finetune-routes';
import { jobRow, newFinetuneState, type FinetuneState } from './finetune-store';

export type { FinetuneState } from './finetune-store';

/** The fine-tuning feature module. */
export const finetune = defineFeature<FinetuneState>({
  name: 'finetune',
  createState: () => newFinetuneState(),
  defects: FINETUNE_DEFECTS,
  routes: { dumont: FINETUNE_ROUTES },
  on: {
    destroy: (event, { world, state }) => instanceGone(world, state, event.instance.id),
  },
  view: ({ state }) => ({
    datasets: [...state.datasets.values()].map((d) => ({ path: d.path, bytes: d.body.length })),
    jobs: [...state.jobs.values()].map((j) => ({ ...jobRow(j), instance_id: j.instanceId, prefix: j.prefix })),
  }),
  shutdown: ({ state }) => {
    // The training leads its own process group (its ranks are in it): kill the group, not only the launcher.
    for (const j of state.jobs.values()) {
      const pid = j.process?.pid;
      if (pid === undefined) continue;
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // ESRCH: already gone with its instance.
      }
    }
  },
});
