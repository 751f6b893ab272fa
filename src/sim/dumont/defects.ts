/**
 * Bugs of the Dumont platform API: it answers wrongly while the VAST face stays truthful, as the real VAST
 * would. Implemented by the Dumont face's routes. Pure data: the registry is imported by workflow code.
 */
import type { DefectDeclaration } from '../defect-types';

/** The Dumont face's defects. */
export const DUMONT_DEFECTS = [
  {
    name: 'offers-not-sorted-by-price',
    scenario: 2,
    check: 'first-offer-cheapest',
    hook: 'Dumont GET /instances/offers',
    scope: 'global',
    description: 'Dumont returns offers shuffled, so the first one is never the cheapest.',
  },
  {
    name: 'custom-image-ignored',
    scenario: 3,
    check: 'image-recorded',
    hook: 'Dumont POST /instances',
    scope: 'label',
    description: 'Dumont ignores the requested image and rents vastai/base-image:latest (no torch).',
  },
  {
    name: 'region-filter-ignored',
    scenario: 5,
    check: 'offers-in-region',
    hook: 'Dumont GET /instances/offers',
    scope: 'global',
    description: 'Dumont ignores the region filter of the offer search.',
  },
  {
    name: 'pause-ignored',
    scenario: 6,
    check: 'paused',
    hook: 'Dumont POST /instances/{id}/pause',
    scope: 'label',
    description: 'Dumont pause answers success but the instance keeps running (and billing).',
  },
  {
    name: 'destroy-running-ignored',
    scenario: 11,
    check: 'destroyed',
    hook: 'Dumont DELETE /instances/{id}',
    scope: 'label',
    description: 'Dumont DELETE of an instance whose intended status is running answers success and does nothing.',
  },
  {
    name: 'destroy-paused-ignored',
    scenario: 12,
    check: 'destroyed',
    hook: 'Dumont DELETE /instances/{id}',
    scope: 'label',
    description: 'Dumont DELETE of a stopped instance answers success and does nothing.',
  },
  {
    name: 'concurrent-destroy-dropped',
    scenario: 15,
    check: 'batch-destroyed',
    hook: 'Dumont DELETE /instances/{id}',
    scope: 'label',
    description:
      'A Dumont DELETE arriving within 5 platform s (at least 250 real ms) of another DELETE in the same scope answers success and does nothing.',
  },
] as const satisfies readonly DefectDeclaration[];
