import { blacklistApi, type BlacklistEntry } from '../platform/dumont/blacklist';
import type { ActivityDeps } from './deps';

export type { BlacklistEntry } from '../platform/dumont/blacklist';

/** The host blacklist on Dumont's routes. */
export function createMarketBlacklistActivities(deps: ActivityDeps) {
  const api = blacklistApi(deps.dumont);
  return {
    /** Blacklists `machineId` with `label` as its reason; an entry already carrying the label is adopted. */
    async blacklistMachine(input: { machineId: number; label: string }): Promise<BlacklistEntry> {
      const mine = (await api.entries()).find((e) => e.machineId === input.machineId && e.reason === input.label);
      if (mine) return mine;
      await api.add(input.machineId, input.label);
      return { machineId: input.machineId, reason: input.label, addedAt: null };
    },
    async blacklistEntries(): Promise<BlacklistEntry[]> {
      return api.entries();
    },
    async unblacklistMachine(input: { machineId: number }): Promise<'removed' | 'already-gone'> {
      return api.remove(input.machineId);
    },
  };
}
