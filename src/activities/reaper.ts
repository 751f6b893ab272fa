import { Context } from '@temporalio/activity';
import { LABEL_ROOT } from '../labels';
import type { ActivityDeps } from './deps';

/** A resource carrying one of our labels, as the reaper sees it. */
export interface LabelledResource {
  kind: 'instance' | 'volume';
  id: number;
  label: string;
  /** Seconds since the platform says it started (undefined when the platform does not say). */
  ageSeconds?: number;
}

export type OwnerStatus = 'running' | 'closed' | 'unknown';

export function createReaperActivities(deps: ActivityDeps) {
  return {
    /** Everything at Dumont or VAST whose label starts with `dumont-e2e/` (instances and volumes). */
    async findLabelled(): Promise<LabelledResource[]> {
      const prefix = `${LABEL_ROOT}/`;
      const nowSeconds = Date.now() / 1000;
      const [dumont, vast, volumes] = await Promise.all([
        deps.dumont.listInstances(),
        deps.vast.listInstances(),
        deps.vast.listVolumes(),
      ]);
      const byId = new Map<number, LabelledResource>();
      for (const i of [...vast, ...dumont]) {
        if (!i.label?.startsWith(prefix) || byId.has(i.id)) continue;
        const started = i.start_date ?? undefined;
        byId.set(i.id, {
          kind: 'instance',
          id: i.id,
          label: i.label,
          ...(started ? { ageSeconds: Math.max(0, nowSeconds - started) } : {}),
        });
      }
      const vols = volumes
        .filter((v) => (v.label ?? v.name ?? '').startsWith(prefix))
        .map((v): LabelledResource => ({ kind: 'volume', id: v.id, label: (v.label ?? v.name)! }));
      return [...byId.values(), ...vols];
    },

    /**
     * Whether each workflow still runs. The label holds the owning workflow's id (the suite, or a scenario
     * started alone); a closed or unknown owner means nobody will clean up its resources any more.
     */
    async ownerStatus(input: { workflowIds: string[] }): Promise<Record<string, OwnerStatus>> {
      const client = Context.current().client;
      const out: Record<string, OwnerStatus> = {};
      for (const id of input.workflowIds) {
        try {
          const d = await client.workflow.getHandle(id).describe();
          out[id] = d.status.name === 'RUNNING' ? 'running' : 'closed';
        } catch (err) {
          if ((err as Error).name === 'WorkflowNotFoundError') out[id] = 'unknown';
          else throw err;
        }
      }
      return out;
    },
  };
}
