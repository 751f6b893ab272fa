/** Defects of the warm-pool feature (`./index.ts`). Pure data: the registry is imported by workflow code. */
import type { DefectDeclaration } from '../../defect-types';

/** The warm-pool feature's defects (scenarios 33–37). */
export const WARM_POOL_DEFECTS = [
  {
    name: 'warm-pool-without-standby',
    scenario: 33,
    check: 'standby-gpu-provisioned',
    hook: 'POST /warmpool/provision (warm-pool feature)',
    scope: 'label',
    description:
      'Provisioning reports an active warm pool but rents no standby GPU: only the primary and the volume exist.',
  },
  {
    name: 'warm-pool-standby-not-started',
    scenario: 34,
    check: 'new-primary-reachable',
    hook: 'POST /warmpool/failover/test/{machine_id} (warm-pool feature)',
    scope: 'label',
    description:
      'Warm-pool failover promotes the standby GPU without starting it, so the new primary never answers SSH.',
  },
  {
    name: 'warm-pool-health-stale',
    scenario: 35,
    check: 'standby-loss-noticed',
    hook: 'warm-pool health check (warm-pool feature)',
    scope: 'label',
    description:
      "The warm pool's health check looks only at the primary and the volume: after the standby GPU is gone its status keeps reporting a stopped standby and a healthy, active pool.",
  },
  {
    name: 'warm-pool-region-ignored',
    scenario: 36,
    check: 'pools-in-own-regions',
    hook: 'POST /warmpool/provision (warm-pool feature)',
    scope: 'label',
    description:
      'The requested host is ignored and every warm pool is provisioned on a US host, so a pool asked for in Europe runs in the US.',
  },
  {
    name: 'warm-pool-volume-leaked',
    scenario: 37,
    check: 'volume-destroyed',
    hook: 'DELETE /warmpool/cleanup/{machine_id} (warm-pool feature)',
    scope: 'label',
    description: 'Warm-pool cleanup destroys both GPUs but leaves the volume, listed and billed.',
  },
] as const satisfies readonly DefectDeclaration[];
