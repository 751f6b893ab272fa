/**
 * Snapshots on the Dumont face (`docs/simulator.md` § Snapshots): restic-like backups of an instance's workspace
 * into the user's bucket (the simulator's object store), content-addressed so an incremental snapshot uploads only
 * what changed; restore onto any running instance (whole, or one directory: an extension); delete; keep-forever;
 * retention policy and cleanup with a dry run; object storage billed per GB-month (B2's price), per repository. Its defects (`./defects.ts`)
 * break one scenario check each (43–52).
 */
import { defineFeature } from '../types';
import { SNAPSHOT_DEFECTS } from './defects';
import { SNAPSHOT_ROUTES } from './snapshot-routes';
import { meter } from './snapshot-engine';
import { newSnapshotsState, STORAGE_USD_PER_GB_MONTH, type SnapshotsState } from './snapshot-store';

const MONTH_SECONDS = 30 * 86_400;

export type { SnapshotsState } from './snapshot-store';

/** The snapshots feature module. */
export const snapshots = defineFeature<SnapshotsState>({
  name: 'snapshots',
  createState: () => newSnapshotsState(),
  defects: SNAPSHOT_DEFECTS,
  routes: { dumont: SNAPSHOT_ROUTES },
  view: ({ state }) => ({
    snapshots: state.snapshots.map((s) => ({
      id: s.id,
      instance_id: s.instanceId,
      label: s.instanceLabel,
      tags: s.tags,
      paths: s.paths,
      files: s.files.length,
      keep_forever: s.keepForever,
      repo: s.repo,
    })),
    storage: [...state.storage].map(([repo, m]) => ({ repo, bytes: m.bytes, gb_seconds: m.byteSeconds / 1e9 })),
  }),
  charges: ({ world, state }, now) =>
    [...state.storage.keys()].map((repo, i) => {
      meter(world, state, repo);
      const m = state.storage.get(repo)!;
      return {
        usage: {
          kind: 'object-storage' as const,
          id: i + 1,
          label: repo.startsWith('unlabelled/') ? null : repo,
          gpuSeconds: 0,
          storageGbSeconds: m.byteSeconds / 1e9,
          usd: (m.byteSeconds / 1e9 / MONTH_SECONDS) * STORAGE_USD_PER_GB_MONTH,
          live: m.bytes > 0,
        },
        start: m.since,
        end: now,
        description: `object storage of snapshots under ${repo} (the user's bucket)`,
      };
    }),
});
