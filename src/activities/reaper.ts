import { Context } from '@temporalio/activity';
import { LABEL_ROOT, suiteLabelPart } from '../labels';
import type { ActivityDeps } from './deps';
import { kindsOf, type FoundResource } from './resources';

/** A resource carrying one of our labels, as the reaper sees it (any registered kind). */
export type LabelledResource = FoundResource;

export type OwnerStatus = 'running' | 'closed' | 'unknown';

export function createReaperActivities(deps: ActivityDeps) {
  return {
    /** Everything at Dumont or VAST whose label starts with `dumont-e2e/`, of every registered resource kind. */
    async findLabelled(): Promise<LabelledResource[]> {
      const lists = await Promise.all(kindsOf().map((k) => k.list(deps, `${LABEL_ROOT}/`, () => undefined)));
      return lists.flat();
    },

    /**
     * Whether each owner still runs. A label holds its owner's workflow id (the suite, or a scenario started
     * alone), or `h-<hash>` of it when the id is too long for a VAST label (scheduled runs): those are matched
     * against the hashes of the workflows running now. A closed or unknown owner will clean up nothing any more.
     */
    async ownerStatus(input: { owners: string[] }): Promise<Record<string, OwnerStatus>> {
      const client = Context.current().client;
      const out: Record<string, OwnerStatus> = {};
      const hashed = input.owners.filter((o) => o.startsWith('h-'));
      if (hashed.length) {
        const running = new Set<string>();
        for await (const wf of client.workflow.list({ query: 'ExecutionStatus="Running"' })) {
          running.add(suiteLabelPart(wf.workflowId));
        }
        for (const o of hashed) out[o] = running.has(o) ? 'running' : 'unknown';
      }
      for (const id of input.owners.filter((o) => !o.startsWith('h-'))) {
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
