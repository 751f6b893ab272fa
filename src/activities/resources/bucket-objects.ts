import type { FoundResource, ResourceKind } from './types';

/** Segments of a step label (`dumont-e2e/<suite>/s<NNN>/<step>`): the first ones of an object key under it. */
const LABEL_SEGMENTS = 4;

/**
 * The objects of the user's bucket under a step label (what a snapshot, a job or a fine-tune left there), one
 * resource per label with the object count as its id. Read and deleted with the worker's S3 client; a worker
 * without one sees none.
 */
export const bucketObjectsKind: ResourceKind = {
  name: 'bucket-objects',
  destroyOrder: 5,
  async list(deps, prefix) {
    if (!deps.objectStore) return [];
    const byLabel = new Map<string, number>();
    for (const o of await deps.objectStore.list(prefix)) {
      const label = o.key.split('/').slice(0, LABEL_SEGMENTS).join('/');
      if (label.startsWith(prefix)) byLabel.set(label, (byLabel.get(label) ?? 0) + 1);
    }
    return [...byLabel].map(([label, n]): FoundResource => ({
      kind: 'bucket-objects',
      id: n,
      label,
      seenAt: ['dumont'],
    }));
  },
  async destroy(deps, found) {
    if (!deps.objectStore) return {};
    const keys = (await deps.objectStore.list(`${found.label}/`)).map((o) => o.key);
    await deps.objectStore.deleteMany(keys);
    return {};
  },
};
