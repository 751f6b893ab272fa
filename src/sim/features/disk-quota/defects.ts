/** Defects of the disk quota (`./index.ts`). Pure data (the registry is imported by workflow code). */
import type { DefectDeclaration } from '../../defect-types';

/** The disk quota's defects (scenario 98). */
export const DISK_QUOTA_DEFECTS = [
  {
    name: 'disk-full-bricks-instance',
    scenario: 98,
    check: 'works-after-cleanup',
    hook: 'instance command spawn (disk-quota feature)',
    scope: 'label',
    description: 'Once its disk has filled, the instance refuses every write for good, even after the disk is cleaned.',
  },
] as const satisfies readonly DefectDeclaration[];
