/** Defects of the host blacklist (`./index.ts`). Pure data (the registry is imported by workflow code). */
import type { DefectDeclaration } from '../../defect-types';

/** The blacklist's defects (scenario 97). */
export const BLACKLIST_DEFECTS = [
  {
    name: 'blacklist-not-applied',
    scenario: 97,
    check: 'excluded-from-search',
    hook: 'Dumont GET /instances/offers (blacklist feature)',
    scope: 'global',
    description: 'A blacklisted host is listed and reported, but the offer search still returns its offers.',
  },
] as const satisfies readonly DefectDeclaration[];
