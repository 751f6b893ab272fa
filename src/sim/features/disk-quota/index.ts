/**
 * A disk quota per instance (`docs/simulator.md` § Disk quota): the workspace can really fill, writes then fail,
 * and deleting files frees the space again (`quota.ts`). The state machine's command spawns ask
 * {@link withDiskQuota} for the limit each command starts under.
 */
import fs from 'node:fs';
import path from 'node:path';
import { instancePaths } from '../../instances/instance-files';
import type { SimInstance } from '../../instances/instance-record';
import type { SimWorld } from '../../world';
import { defineFeature } from '../types';
import { DISK_QUOTA_DEFECTS } from './defects';
import { dfScript, quotaBytes, quotaPrefix } from './quota';

export interface DiskQuotaState {
  /** Instances whose disk has been full at least once. */
  readonly filled: Set<number>;
}

/** The disk-quota feature module. */
export const diskQuota = defineFeature<DiskQuotaState>({
  name: 'disk-quota',
  createState: () => ({ filled: new Set() }),
  defects: DISK_QUOTA_DEFECTS,
  on: {
    create: ({ instance }, { world }) => {
      const paths = instancePaths(world.dataDir, instance.id);
      fs.writeFileSync(path.join(paths.bin, 'df'), dfScript(quotaBytes(instance)), { mode: 0o755 });
    },
    destroy: ({ instance }, { state }) => {
      state.filled.delete(instance.id);
    },
  },
  view: ({ state }) => ({ filled: [...state.filled] }),
});

/** `command` as `inst` runs it: under its disk quota. */
export function withDiskQuota(world: SimWorld, inst: SimInstance, command: string): string {
  // A simulator started without the feature (a test's own feature list) has no quota.
  if (!world.features.names().includes(diskQuota.name)) return command;
  const paths = instancePaths(world.dataDir, inst.id);
  return quotaPrefix(world, inst, paths.workspace, world.features.stateOf(diskQuota).filled) + command;
}
