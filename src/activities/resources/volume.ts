import type { ResourceKind } from './types';

/** Storage volumes at VAST (a destroyed instance may leave one behind, still billed). */
export const volumeKind: ResourceKind = {
  name: 'volume',
  destroyOrder: 2,
  async list(deps, prefix) {
    const volumes = await deps.vast.listVolumes();
    return volumes
      .filter((v) => (v.label ?? v.name ?? '').startsWith(prefix))
      .map((v) => ({
        kind: 'volume',
        id: v.id,
        label: (v.label ?? v.name)!,
        seenAt: ['vast' as const],
        ...(v.instances?.length ? { blockedBy: v.instances } : {}),
      }));
  },
  async destroy(deps, found) {
    await deps.vast.deleteVolume(found.id);
    return {};
  },
};
