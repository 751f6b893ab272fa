/**
 * The defects of every feature module, for the pure registry (`../defect-registry.ts`). Feature modules
 * themselves import Node code, so the registry cannot reach their declarations through `./index.ts`;
 * a feature that declares defects adds its `defects.ts` here too (tests/sim/features.test.ts fails otherwise).
 */
import { JOB_DEFECTS } from './jobs/defects';
import { MIGRATION_DEFECTS } from './migration/defects';
import { SERVERLESS_DEFECTS } from './serverless/defects';
import { SNAPSHOT_DEFECTS } from './snapshots/defects';
import { STORAGE_VOLUME_DEFECTS } from './storage-volumes/defects';

/** Every feature module's defects, for the registry. */
export const FEATURE_DEFECTS = [
  ...STORAGE_VOLUME_DEFECTS,
  ...SERVERLESS_DEFECTS,
  ...SNAPSHOT_DEFECTS,
  ...MIGRATION_DEFECTS,
  ...JOB_DEFECTS,
] as const;
