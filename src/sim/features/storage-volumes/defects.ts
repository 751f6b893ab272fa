/** Defects of the storage-volumes feature (`./index.ts`). Pure data: the registry is imported by workflow code. */
import type { DefectDeclaration } from '../../defect-types';

/** The storage-volumes feature's defects. */
export const STORAGE_VOLUME_DEFECTS = [
  {
    name: 'storage-billed-after-destroy',
    scenario: 13,
    check: 'no-volume-left',
    hook: 'instance destroy (storage-volumes feature)',
    scope: 'label',
    description:
      "Destroy leaves a volume V.<n> (the instance's label and disk) that stays listed and billed until DELETE /api/v0/volumes/.",
  },
] as const satisfies readonly DefectDeclaration[];
