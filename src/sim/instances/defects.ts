/**
 * Defects of the rented machine itself, whichever face drove it; implemented by the instance state machine
 * (`instance-create.ts`, `instance-control.ts`). Pure data: the registry is imported by workflow code.
 */
import type { DefectDeclaration } from '../defect-types';

/** The instance state machine's defects. */
export const INSTANCE_DEFECTS = [
  {
    name: 'gpu-model-mismatch',
    scenario: 1,
    check: 'gpus-visible',
    hook: 'instance boot',
    scope: 'label',
    description:
      'nvidia-smi and torch report a different GPU model than the one rented (RTX 4090 → RTX 3090); API rows still show the rented name.',
  },
  {
    name: 'price-differs-from-offer',
    scenario: 2,
    check: 'billed-at-offer-price',
    hook: 'instance create',
    scope: 'label',
    description: 'The instance is billed 15% above the price of the offer it was rented from.',
  },
  {
    name: 'multi-gpu-partial',
    scenario: 4,
    check: 'gpus-visible',
    hook: 'instance boot',
    scope: 'label',
    description: 'A multi-GPU instance exposes only one GPU to nvidia-smi and torch.',
  },
  {
    name: 'resume-loses-disk',
    scenario: 7,
    check: 'data-intact',
    hook: 'instance resume',
    scope: 'label',
    description: "Resume wipes the instance's workspace files.",
  },
  {
    name: 'cold-start-stuck-after-long-pause',
    scenario: 8,
    check: 'cold-start',
    hook: 'instance resume',
    scope: 'label',
    description: 'A resume after a pause longer than 120 platform s stays in scheduling for 2 platform hours.',
  },
  {
    name: 'resume-fails-on-third-cycle',
    scenario: 9,
    check: 'cycle-3-resumed',
    hook: 'instance resume',
    scope: 'label',
    description: 'The third resume of an instance ends in actual_status exited and never reaches running.',
  },
  {
    name: 'pause-keeps-processes',
    scenario: 10,
    check: 'process-stopped',
    hook: 'instance pause',
    scope: 'label',
    description:
      'Pause leaves the processes started over SSH running (they keep writing while paused); destroy still kills them.',
  },
  {
    name: 'offer-not-released',
    scenario: 14,
    check: 'offer-released',
    hook: 'instance destroy',
    scope: 'label',
    description: 'Destroying an instance does not put its offer back on the market.',
  },
] as const satisfies readonly DefectDeclaration[];
