import { PlatformLacksError } from '../../platform/errors';
import { modelsApi } from '../../platform/dumont/models';
import type { FoundResource, ResourceKind } from './types';

/**
 * A model deployment (docs/platform-contract.md § Models). Deleted before instances: deleting it stops its servers and
 * destroys its instance, which also carries the label, so the instance kind catches what a deployment leaves behind.
 * Its label is the deployment's `name` (Dumont's rows have no label of their own). A platform without the routes has
 * none to clean.
 */
export const modelDeploymentKind: ResourceKind = {
  name: 'model-deployment',
  destroyOrder: -1,
  async list(deps, prefix) {
    let rows;
    try {
      rows = await modelsApi(deps.dumont).list();
    } catch (err) {
      if (err instanceof PlatformLacksError) return [];
      throw err;
    }
    return rows.flatMap((row): FoundResource[] => {
      const label = [row.label, row.name].find((l) => l?.startsWith(prefix));
      // Ids are Dumont's strings; the registry's ids are numbers, so the string rides in the label's lookup.
      return label ? [{ kind: 'model-deployment', id: idNumber(row.id), label, seenAt: ['dumont'] }] : [];
    });
  },
  async destroy(deps, found) {
    const api = modelsApi(deps.dumont);
    const rows = await api.list();
    for (const row of rows) {
      // By label: every deployment of the step goes (ids are Dumont's strings, `found.id` only a number derived from one).
      if (row.label === found.label || row.name === found.label) await api.remove(row.id);
    }
    return {};
  },
};

/** A stable number for a deployment id (Dumont's ids are hex strings). */
function idNumber(id: string): number {
  return /^\d+$/.test(id) ? Number(id) : Number.parseInt(id.slice(0, 12), 16) || 0;
}
