/**
 * Defects of the create edges (`./index.ts`): what goes wrong around a Dumont create — an expired offer, a create
 * that hangs, creates that arrive together. Pure data (the registry is imported by workflow code).
 */
import type { DefectDeclaration } from '../../defect-types';

/** The create edges' defects (scenarios 96, 99, 100). */
export const CREATE_EDGE_DEFECTS = [
  {
    name: 'failed-create-leaks-instance',
    scenario: 96,
    check: 'no-leak-after-expired',
    hook: 'Dumont POST /instances (create edges)',
    scope: 'label',
    description:
      'A create on an offer that has left the market answers 500 "Oferta N indisponível" but still rents an instance, which leaks.',
  },
  {
    name: 'stuck-create-not-cancellable',
    scenario: 99,
    check: 'stuck-destroyed',
    hook: 'Dumont DELETE /instances/{id} (create edges)',
    scope: 'label',
    description:
      "An instance stuck in loading ignores Dumont's destroy (answered success), so an abandoned create leaks.",
  },
  {
    name: 'concurrent-creates-conflict',
    scenario: 100,
    check: 'distinct-instances',
    hook: 'Dumont POST /instances (create edges)',
    scope: 'label',
    description:
      'A create arriving within 5 platform s (at least 250 real ms) of another in the same scope answers that earlier instance instead of renting.',
  },
] as const satisfies readonly DefectDeclaration[];
