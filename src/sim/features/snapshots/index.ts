/**
 * Snapshots on the Dumont face (`docs/simulator.md` § Snapshots): restic-like backups of an instance's workspace
 * into the user's bucket (the simulator's object store), content-addressed so an incremental snapshot uploads only
 * what changed; restore onto any running instance (whole, or one directory: an extension); delete; keep-forever;
 * retention policy and cleanup with a dry run; the bytes kept are metered (GB-seconds, in `sim state`). Its defects (`./defects.ts`)
 * break one scenario check each (43–52).
 */
import { defineFeature } from '../types';
import { SNAPSHOT_DEFECTS } from './defects';
import { SNAPSHOT_ROUTES } from './snapshot-routes';
import { newSnapshotsState, type SnapshotsState } from './snapshot-store';

export type { SnapshotsState } from './snapshot-store';

/** The snapshots feature module. */
export const snapshots = defineFeature<SnapshotsState>({
  name: 'snapshots',
  createState: (world) => newSnapshotsState(world.clock.platformNow()),
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
    stored_bytes: state.storedBytes,
    stored_gb_seconds: state.byteSeconds / 1e9,
  }),
});
