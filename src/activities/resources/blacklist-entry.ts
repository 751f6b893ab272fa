import { PlatformLacksError } from '../../platform/errors';
import { blacklistApi } from '../../platform/dumont/blacklist';
import type { FoundResource, ResourceKind } from './types';

/**
 * A host blacklist entry a scenario made (its reason is its label). Removed after the instances, so a host a
 * scenario excluded is back in the search when it ends. A platform without the routes has none to clean.
 */
export const blacklistEntryKind: ResourceKind = {
  name: 'blacklist-entry',
  destroyOrder: 5,
  async list(deps, prefix) {
    let entries;
    try {
      entries = await blacklistApi(deps.dumont).entries();
    } catch (err) {
      if (err instanceof PlatformLacksError) return [];
      throw err;
    }
    // Dumont's `added_at` is on Dumont's clock: the age is taken on it too (its answer's `Date`).
    const now = deps.dumont.serverNow?.() ?? Date.now() / 1000;
    return entries.flatMap((e): FoundResource[] =>
      e.reason?.startsWith(prefix)
        ? [
            {
              kind: 'blacklist-entry',
              id: e.machineId,
              label: e.reason,
              seenAt: ['dumont'],
              ...(e.addedAt !== null ? { ageSeconds: Math.max(0, now - e.addedAt) } : {}),
            },
          ]
        : []
    );
  },
  async destroy(deps, found) {
    await blacklistApi(deps.dumont).remove(found.id);
    return {};
  },
};
