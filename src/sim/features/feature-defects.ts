/**
 * The defects of every feature module, for the pure registry (`../defect-registry.ts`). Feature modules
 * themselves import Node code, so the registry cannot reach their declarations through `./index.ts`;
 * a feature that declares defects adds its `defects.ts` here too (tests/sim/features.test.ts fails otherwise).
 */
import { FAILOVER_DEFECTS } from './failover/defects';
import { SERVERLESS_DEFECTS } from './serverless/defects';
import { STORAGE_VOLUME_DEFECTS } from './storage-volumes/defects';
import { WARM_POOL_DEFECTS } from './warm-pool/defects';

/** Every feature module's defects, for the registry. */
export const FEATURE_DEFECTS = [
  ...STORAGE_VOLUME_DEFECTS,
  ...SERVERLESS_DEFECTS,
  ...FAILOVER_DEFECTS,
  ...WARM_POOL_DEFECTS,
] as const;
