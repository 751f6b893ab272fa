import { PlatformLacksError } from '../../platform/errors';
import { snapshotsApi } from '../../platform/dumont/snapshots';
import type { FoundResource, ResourceKind } from './types';

/** The numeric id of a snapshot: its short id (8 hex digits) read as a number; a restic short id names it. */
export const snapshotNumber = (id: string): number => parseInt(id.slice(0, 8), 16);
const shortIdOf = (n: number): string => n.toString(16).padStart(8, '0');

/**
 * A snapshot, labelled by one of its tags (the harness tags every snapshot it takes with its step label; the
 * platform's own sync snapshots carry the instance's label). A platform without the routes has none to clean.
 */
export const snapshotKind: ResourceKind = {
  name: 'snapshot',
  destroyOrder: 4,
  async list(deps, prefix) {
    let rows;
    try {
      rows = await snapshotsApi(deps.dumont).list();
    } catch (err) {
      if (err instanceof PlatformLacksError) return [];
      throw err;
    }
    const found = new Map<number, FoundResource>();
    for (const r of rows) {
      const label = r.tags.find((t) => t.startsWith(prefix));
      const id = snapshotNumber(r.id);
      if (label && !found.has(id)) found.set(id, { kind: 'snapshot', id, label, seenAt: ['dumont'] });
    }
    return [...found.values()];
  },
  async destroy(deps, found) {
    await snapshotsApi(deps.dumont).delete(shortIdOf(found.id));
    return {};
  },
};
