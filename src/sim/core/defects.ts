/**
 * Billing defects, implemented by `billing.ts` (the bill is computed when read, so they apply to the
 * whole life of the instances in their scope). Pure data: the registry is imported by workflow code.
 */
import type { DefectDeclaration } from '../defect-types';

/** The billing defects. */
export const BILLING_DEFECTS = [
  {
    name: 'gpu-billed-while-paused',
    scenario: 6,
    check: 'no-gpu-billing-while-paused',
    hook: 'billing',
    scope: 'label',
    description: 'The GPU is billed for the whole life of an instance, including while it is paused.',
  },
  {
    name: 'charges-after-destroy',
    scenario: 11,
    check: 'no-charges-after-destroy',
    hook: 'billing',
    scope: 'label',
    description: 'A destroyed instance keeps accruing GPU and storage charges.',
  },
] as const satisfies readonly DefectDeclaration[];
