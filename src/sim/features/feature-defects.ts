/**
 * The defects of every feature module, for the pure registry (`../defect-registry.ts`). Feature modules
 * themselves import Node code, so the registry cannot reach their declarations through `./index.ts`;
 * a feature that declares defects adds its `defects.ts` here too (tests/sim/features.test.ts fails otherwise).
 */
import { MODEL_DEFECTS } from './models/defects';
import { BLACKLIST_DEFECTS } from './blacklist/defects';
import { CREATE_EDGE_DEFECTS } from './create-edges/defects';
import { DISK_QUOTA_DEFECTS } from './disk-quota/defects';
import { MARKET_DEFECTS } from './market/defects';
import { FINETUNE_DEFECTS } from './finetune/defects';
import { JOB_DEFECTS } from './jobs/defects';
import { MIGRATION_DEFECTS } from './migration/defects';
import { FAILOVER_DEFECTS } from './failover/defects';
import { SERVERLESS_DEFECTS } from './serverless/defects';
import { SNAPSHOT_DEFECTS } from './snapshots/defects';
import { STORAGE_VOLUME_DEFECTS } from './storage-volumes/defects';
import { WARM_POOL_DEFECTS } from './warm-pool/defects';

/** Every feature module's defects, for the registry. */
export const FEATURE_DEFECTS = [
  ...STORAGE_VOLUME_DEFECTS,
  ...SERVERLESS_DEFECTS,
  ...MODEL_DEFECTS,
  ...MARKET_DEFECTS,
  ...CREATE_EDGE_DEFECTS,
  ...BLACKLIST_DEFECTS,
  ...DISK_QUOTA_DEFECTS,
  ...SNAPSHOT_DEFECTS,
  ...MIGRATION_DEFECTS,
  ...FINETUNE_DEFECTS,
  ...JOB_DEFECTS,
  ...FAILOVER_DEFECTS,
  ...WARM_POOL_DEFECTS,
] as const;
