import { PlatformLacksError } from '../../platform/errors';
import { serverlessApi } from '../../platform/dumont/serverless';
import type { ResourceKind } from './types';

/**
 * The CPU standby that keeps a fast-mode instance's state in sync (`<instance label>/standby`). It bills on its own,
 * so it is listed and destroyed by label like any rented thing, after the GPU instance it follows.
 */
export const cpuStandbyKind: ResourceKind = {
  name: 'cpu-standby',
  destroyOrder: 1,
  async list(deps, prefix) {
    try {
      const standbys = await serverlessApi(deps.dumont).standbys();
      return standbys
        .filter((s) => s.label?.startsWith(prefix))
        .map((s) => ({ kind: 'cpu-standby', id: s.gpu_instance_id, label: s.label!, seenAt: ['dumont' as const] }));
    } catch (err) {
      if (err instanceof PlatformLacksError) return [];
      throw err;
    }
  },
  async destroy(deps, found) {
    await serverlessApi(deps.dumont).destroyStandby(found.id);
    return {};
  },
};
