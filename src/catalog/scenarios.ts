import { EDGE_SCENARIOS } from './categories/edge';
import { FAILOVER_SCENARIOS } from './categories/failover';
import { FINETUNE_SCENARIOS } from './categories/finetune';
import { JOBS_SCENARIOS } from './categories/jobs';
import { LIFECYCLE_SCENARIOS } from './categories/lifecycle';
import { MARKET_SCENARIOS } from './categories/market';
import { MIGRATION_SCENARIOS } from './categories/migration';
import { MODELS_SCENARIOS } from './categories/models';
import { SERVERLESS_SCENARIOS } from './categories/serverless';
import { SNAPSHOTS_SCENARIOS } from './categories/snapshots';
import type { ScenarioSpec } from './types';

/**
 * All 100 scenarios of the seed (the list of 100 scenarios the project was asked for, in Portuguese), in the seed's order (index = id - 1). Deeply frozen: the same
 * objects are shared by the CLI, the suite workflow and the reporters, and none of them may edit the catalog.
 */
export const SCENARIOS: readonly ScenarioSpec[] = deepFreeze([
  ...LIFECYCLE_SCENARIOS,
  ...SERVERLESS_SCENARIOS,
  ...FAILOVER_SCENARIOS,
  ...SNAPSHOTS_SCENARIOS,
  ...JOBS_SCENARIOS,
  ...MODELS_SCENARIOS,
  ...FINETUNE_SCENARIOS,
  ...MARKET_SCENARIOS,
  ...MIGRATION_SCENARIOS,
  ...EDGE_SCENARIOS,
]);

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
