import { PlatformLacksError } from '../../platform/errors';
import { failoverApi } from '../../platform/dumont/failover';
import type { ResourceKind } from './types';

/**
 * A warm pool (`/warmpool/*`): a primary and a standby GPU on one host sharing a volume. Deprovisioned first, through
 * Dumont (`DELETE /warmpool/cleanup/{machine_id}` destroys both GPUs and the volume), so the platform's health check
 * never re-provisions what the instance and volume kinds then sweep by label. Listed through the simulator's
 * `GET /warmpool/list` (Dumont has no list: a platform without it has none to find, and its GPUs and volume are
 * still swept by their own kinds).
 */
export const warmPoolKind: ResourceKind = {
  name: 'warm-pool',
  destroyOrder: -0.5,
  async list(deps, prefix) {
    try {
      const pools = await failoverApi(deps.dumont).warmPools();
      return pools
        .filter((p) => p.label?.startsWith(prefix))
        .map((p) => ({ kind: 'warm-pool', id: p.machine_id, label: p.label!, seenAt: ['dumont' as const] }));
    } catch (err) {
      if (err instanceof PlatformLacksError) return [];
      throw err;
    }
  },
  async destroy(deps, found) {
    await failoverApi(deps.dumont).cleanupWarmPool(found.id);
    return {};
  },
};
