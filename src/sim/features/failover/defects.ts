/** Defects of the failover feature (`./index.ts`). Pure data: the registry is imported by workflow code. */
import type { DefectDeclaration } from '../../defect-types';

/** The failover feature's defects: CPU standby, sync, failover, failback and recovery (scenarios 28–32, 38–42). */
export const FAILOVER_DEFECTS = [
  {
    name: 'standby-not-created',
    scenario: 28,
    check: 'standby-created',
    hook: 'POST /instances with auto-standby configured (failover feature)',
    scope: 'label',
    description: 'With auto-standby configured, creating a GPU instance creates no CPU standby and no association.',
  },
  {
    name: 'initial-sync-skips-files',
    scenario: 29,
    check: 'files-synced',
    hook: 'standby sync GPU → standby (failover feature)',
    scope: 'label',
    description:
      'The sync silently leaves out every file below a subdirectory of the workspace while reporting the sync done.',
  },
  {
    name: 'failover-serves-first-sync',
    scenario: 30,
    check: 'latest-data-served',
    hook: 'failover to the CPU standby (failover feature)',
    scope: 'label',
    description: 'The standby takes over with the copy of its first sync: everything the later syncs brought is lost.',
  },
  {
    name: 'failover-slower-than-reported',
    scenario: 31,
    check: 'failover-under-5s',
    hook: 'failover to the CPU standby (failover feature)',
    scope: 'label',
    description:
      'The service endpoint reaches the standby five minutes after detection, while the failover reports it serving within a second.',
  },
  {
    name: 'failback-skips-reverse-sync',
    scenario: 32,
    check: 'reverse-synced',
    hook: 'POST /instances/{id}/failback (failover feature)',
    scope: 'label',
    description:
      'Failback provisions the new GPU and moves the endpoint to it without copying back what was written on the standby, yet reports the reverse sync.',
  },
  {
    name: 'recovery-never-completes',
    scenario: 38,
    check: 'recovered',
    hook: 'POST /instances/{id}/recover (failover feature)',
    scope: 'label',
    description: 'Without a standby, recovery answers initiated but never provisions a replacement GPU.',
  },
  {
    name: 'endpoint-not-moved',
    scenario: 39,
    check: 'inference-through-endpoint',
    hook: 'failover to the CPU standby (failover feature)',
    scope: 'label',
    description:
      'The failover completes on the standby, but the service endpoint keeps forwarding to the dead GPU, so requests through it fail.',
  },
  {
    name: 'checkpoints-not-synced',
    scenario: 40,
    check: 'resumed-from-checkpoint',
    hook: 'standby sync GPU → standby (failover feature)',
    scope: 'label',
    description:
      'The sync leaves out checkpoints (directories named checkpoints, *.ckpt and *.pt files), so training on the standby restarts from step 0.',
  },
  {
    name: 'third-failover-fails',
    scenario: 41,
    check: 'failover-3',
    hook: 'failover to the CPU standby (failover feature)',
    scope: 'label',
    description: "An association's third failover fails: it goes to error and nothing serves.",
  },
  {
    name: 'large-sync-truncated',
    scenario: 42,
    check: 'large-data-intact',
    hook: 'standby sync GPU → standby (failover feature)',
    scope: 'label',
    description: 'The sync copies only the first MiB of larger files, while reporting their full size as synced.',
  },
] as const satisfies readonly DefectDeclaration[];
