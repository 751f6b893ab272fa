import { PlatformLacksError } from '../../platform/errors';
import { failoverApi } from '../../platform/dumont/failover';
import type { ResourceKind } from './types';

/**
 * A regional volume (`/failover/regional-volume/*`, a warm pool's or one of its own): deleted through Dumont, after
 * the instances that mount it; the `volume` kind then finds at VAST whatever Dumont left under the label.
 */
export const regionalVolumeKind: ResourceKind = {
  name: 'regional-volume',
  destroyOrder: 1.5,
  async list(deps, prefix) {
    try {
      const volumes = await failoverApi(deps.dumont).regionalVolumes();
      return volumes.flatMap((v) => {
        const label = v.label ?? v.name;
        return label?.startsWith(prefix)
          ? [{ kind: 'regional-volume', id: v.volume_id, label, seenAt: ['dumont' as const] }]
          : [];
      });
    } catch (err) {
      if (err instanceof PlatformLacksError) return [];
      throw err;
    }
  },
  async destroy(deps, found) {
    await failoverApi(deps.dumont).deleteRegionalVolume(found.id);
    return {};
  },
};
