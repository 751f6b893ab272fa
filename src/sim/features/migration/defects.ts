/** Defects of the migration feature (`./index.ts`). Pure data: the registry is imported by workflow code. */
import type { DefectDeclaration } from '../../defect-types';

/** The migration feature's defects, one per scenario 91–95. */
export const MIGRATION_DEFECTS = [
  {
    name: 'migration-picks-pricier-offer',
    scenario: 91,
    check: 'target-cheaper',
    hook: 'POST /instances/{id}/migrate (migration feature)',
    scope: 'label',
    description: 'Migration ignores max_price and rents the most expensive offer of the GPU model.',
  },
  {
    name: 'migration-drops-data',
    scenario: 92,
    check: 'data-migrated',
    hook: 'POST /instances/{id}/migrate (migration feature)',
    scope: 'label',
    description: 'Migration snapshots the source but never restores it onto the new instance.',
  },
  {
    name: 'migration-leaves-source',
    scenario: 92,
    check: 'source-gone',
    hook: 'POST /instances/{id}/migrate (migration feature)',
    scope: 'label',
    description: 'Migration reports destroy_source but leaves the source running (and billing).',
  },
  {
    name: 'migration-changes-ssh-host',
    scenario: 93,
    check: 'same-endpoint',
    hook: 'POST /instances/{id}/migrate with keep_ssh_endpoint (migration feature)',
    scope: 'label',
    description: 'Migration ignores keep_ssh_endpoint: the new instance answers on an SSH endpoint of its own.',
  },
  {
    name: 'migration-estimate-inconsistent',
    scenario: 94,
    check: 'estimate-cost',
    hook: 'POST /instances/{id}/migrate/estimate (migration feature)',
    scope: 'label',
    description: "The estimate quotes half the target offer's hourly price, so its cost is far below the real one.",
  },
  {
    name: 'migration-model-not-served',
    scenario: 95,
    check: 'model-answers-after',
    hook: 'POST /instances/{id}/migrate (migration feature)',
    scope: 'label',
    description:
      "The new instance gets the data but not the source's start command, so the model server is not running after the migration.",
  },
] as const satisfies readonly DefectDeclaration[];
