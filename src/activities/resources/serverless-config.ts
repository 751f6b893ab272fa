import { PlatformLacksError } from '../../platform/errors';
import { serverlessApi } from '../../platform/dumont/serverless';
import { errorText, type FoundResource, type ResourceKind } from './types';

/**
 * An instance's serverless (auto-pause) configuration. Disabled first in cleanup, so the platform neither pauses
 * nor wakes an instance while it is being destroyed. It carries no label of its own: it is its instance's, read
 * from the instance lists. A platform without the routes has none to clean.
 */
export const serverlessConfigKind: ResourceKind = {
  name: 'serverless-config',
  destroyOrder: -1,
  async list(deps, prefix, warn) {
    let configured: { instance_id: number }[];
    try {
      configured = await serverlessApi(deps.dumont).list();
    } catch (err) {
      if (err instanceof PlatformLacksError) return [];
      throw err;
    }
    if (configured.length === 0) return [];
    const [dumont, vast] = await Promise.allSettled([deps.dumont.listLabelled(), deps.vast.listLabelled()]);
    const labels = new Map<number, string>();
    for (const listed of [dumont, vast]) {
      if (listed.status === 'rejected') {
        warn(`an instance list was unusable while matching serverless configs: ${errorText(listed.reason)}`);
        continue;
      }
      for (const row of listed.value.rows) if (row.label) labels.set(row.id, row.label);
    }
    return configured.flatMap((c): FoundResource[] => {
      const label = labels.get(c.instance_id);
      return label?.startsWith(prefix)
        ? [{ kind: 'serverless-config', id: c.instance_id, label, seenAt: ['dumont'] }]
        : [];
    });
  },
  async destroy(deps, found) {
    await serverlessApi(deps.dumont).disable(found.id);
    return {};
  },
};
