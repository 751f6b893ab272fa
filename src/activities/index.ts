import { createBillingActivities } from './billing';
import { createCleanupActivities } from './cleanup';
import type { ActivityDeps } from './deps';
import { createFailoverActivities } from './failover';
import { createWarmPoolActivities } from './failover-warm-pool';
import { mapFailures } from './failures';
import { createInstanceActivities } from './instances';
import { createReaperActivities } from './reaper';
import { createServerlessActivities } from './serverless';
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
    ...createFailoverActivities(deps),
    ...createWarmPoolActivities(deps),
    /** Wall-clock reading for durations; workflow clocks only advance per task and must not measure. */
    async now(): Promise<number> {
      return Date.now();
    },
  });
}

export type Activities = ReturnType<typeof createActivities>;
