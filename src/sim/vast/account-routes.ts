/** The account on the VAST face: `GET /api/v0/users/current/`, and the billing routes (`./billing-routes.ts`). */
import { billingSummary } from '../core/billing';
import type { FaceRoute } from '../core/http/face-server';
import { json } from '../core/http/sim-http';
import { sshKeys } from '../features/ssh-keys';
import type { SimWorld } from '../world';
import { withVastAuth } from './vast-auth';
import { billingRoutes, STARTING_CREDIT } from './billing-routes';
import { heldDeposits } from './renter-ops';

/** The account as `GET /api/v0/users/current/` shows it (credit = starting credit − what was billed − deposits held). */
export function vastAccount(world: SimWorld): Record<string, unknown> {
  const spent = billingSummary(world).totalUsd;
  return {
    id: world.accountId,
    username: 'dumont-e2e-sim',
    email: 'sim@dumont-e2e.invalid',
    fullname: 'dumont-e2e simulator',
    // Prepaid deposits of live instances are held out of the credit (refunded when the instance is destroyed).
    credit: Number((STARTING_CREDIT - spent - heldDeposits(world)).toFixed(6)),
    balance: 0,
    balance_threshold: 5,
    balance_threshold_enabled: false,
    can_pay: true,
    has_billing: true,
    ssh_key: world.features.stateOf(sshKeys).keys[0]?.key ?? null,
  };
}

/** The account routes. */
export function accountRoutes(world: SimWorld): FaceRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/v0/users/current/',
      handle: withVastAuth(world, 'account', () => json(200, vastAccount(world))),
    },
    ...billingRoutes(world),
  ];
}
