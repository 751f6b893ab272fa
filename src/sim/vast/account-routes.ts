/** The account on the VAST face: `GET /api/v0/users/current/` and `GET /api/v0/charges/`. */
import { billingSummary } from '../core/billing';
import type { FaceRoute } from '../core/http/face-server';
import { json } from '../core/http/sim-http';
import { sshKeys } from '../features/ssh-keys';
import type { SimWorld } from '../world';
import { withVastAuth } from './vast-auth';
import { vastChargeRows } from './wire-vast';

/** Starting credit of the simulated account, USD. */
const STARTING_CREDIT = 1000;

/** The account as `GET /api/v0/users/current/` shows it (credit = starting credit − what was billed). */
export function vastAccount(world: SimWorld): Record<string, unknown> {
  const spent = billingSummary(world).totalUsd;
  return {
    id: world.accountId,
    username: 'dumont-e2e-sim',
    email: 'sim@dumont-e2e.invalid',
    fullname: 'dumont-e2e simulator',
    credit: Number((STARTING_CREDIT - spent).toFixed(6)),
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
    {
      method: 'GET',
      path: '/api/v0/charges/',
      handle: withVastAuth(world, 'account', () => {
        const results = vastChargeRows(world);
        return json(200, { success: true, count: results.length, total: results.length, next_token: null, results });
      }),
    },
  ];
}
