import { createBillingActivities } from './billing';
import { createCleanupActivities } from './cleanup';
import type { ActivityDeps } from './deps';
import { createFailoverActivities } from './failover';
import { createWarmPoolActivities } from './failover-warm-pool';
import { mapFailures } from './failures';
import { createFinetuneActivities } from './finetune';
import { createInstanceActivities } from './instances';
import { createModelActivities } from './models';
import { createModelRuntimeActivities } from './models-runtime';
import { createMarketActivities } from './market';
import { createMarketBlacklistActivities } from './market-blacklist';
import { createMarketCreateActivities } from './market-creates';
import { createJobActivities } from './jobs';
import { createReaperActivities } from './reaper';
import { createReportActivities } from './reports';
import { createServerlessActivities } from './serverless';
import { createMigrationActivities } from './migration';
import { createSnapshotActivities } from './snapshots';
import { createSshActivities } from './ssh';

export type { ActivityDeps } from './deps';
export type { InstanceRef } from './instances';

/** All activities, bound to their dependencies (the samples' `createActivities(deps)` pattern). */
export function createActivities(deps: ActivityDeps) {
  return mapFailures({
    ...createInstanceActivities(deps),
    ...createSshActivities(deps),
    ...createCleanupActivities(deps),
    ...createBillingActivities(deps),
    ...createReaperActivities(deps),
    ...createServerlessActivities(deps),
    ...createModelActivities(deps),
    ...createModelRuntimeActivities(deps),
    ...createMarketActivities(deps),
    ...createMarketCreateActivities(deps),
    ...createMarketBlacklistActivities(deps),
    ...createSnapshotActivities(deps),
    ...createMigrationActivities(deps),
    ...createFinetuneActivities(deps),
    ...createJobActivities(deps),
    ...createFailoverActivities(deps),
    ...createWarmPoolActivities(deps),
    ...createReportActivities(
      deps.reports && { ...deps.reports, ...(deps.objectStore ? { objectStore: deps.objectStore } : {}) }
    ),
    /** Wall-clock reading for durations; workflow clocks only advance per task and must not measure. */
    async now(): Promise<number> {
      return Date.now();
    },
  });
}

export type Activities = ReturnType<typeof createActivities>;
