/**
 * Dumont's `/instances*` routes (declared without a trailing slash, as the real router): offers (public),
 * list, create, show, health, pause, resume, destroy. Dumont instances are the VAST instances of the
 * simulator's one account. The Dumont-only defects of pause and destroy hook in here.
 */
import type { FaceRoute, HttpMethod } from '../core/http/face-server';
import { json, jsonBody, type SimRequest, type SimResponse } from '../core/http/sim-http';
import { destroyIgnored } from '../features/create-edges';
import { destroyInstance, startInstance, stopInstance } from '../instances/instance-control';
import type { SimInstance } from '../instances/instance-record';
import { visibleSshPort } from '../instances/transitions';
import { vastAccount } from '../vast/account-routes';
import type { SimWorld } from '../world';
import { DestroyWindows } from './concurrent-destroy';
import { withDumontAuth } from './dumont-auth';
import { createDumontInstance } from './dumont-create';
import { validationError } from './dumont-errors';
import { searchDumontOffers } from './dumont-offers';
import type { DumontUsers } from './dumont-users';
import type { DumontProfile } from './profiles';

/**
 * The VAST account's balance as Dumont reads it (dumont-api.md §3): `/instances/balance` answers the provider's
 * dict with VAST's email, `/balance` the `BalanceResponse` with the caller's email.
 */
function dumontBalance(world: SimWorld, userEmail: string | undefined): Record<string, unknown> {
  const account = vastAccount(world);
  return {
    credit: account.credit ?? 0,
    balance: account.balance ?? 0,
    balance_threshold: account.balance_threshold ?? 0,
    email: userEmail ?? account.email ?? '',
  };
}

type Handler = (req: SimRequest) => SimResponse | Promise<SimResponse>;

/** Resolves `:id`: not an integer → 422 as FastAPI's path validation; missing → `onMissing` (404 `{error}`). */
function withInstance(
  world: SimWorld,
  handle: (req: SimRequest, inst: SimInstance) => SimResponse | Promise<SimResponse>,
  onMissing: (id: string) => SimResponse = (id) => json(404, { error: `Instance ${id} not found` })
): Handler {
  return (req) => {
    const id = Number(req.params.id);
    if (!Number.isInteger(id)) {
      return validationError([
        { loc: ['path', 'instance_id'], msg: 'Input should be a valid integer', type: 'int_parsing' },
      ]);
    }
    const inst = world.instances.get(id);
    return inst ? handle(req, inst) : onMissing(req.params.id);
  };
}

/** `DELETE /instances/{id}`, with the defects that make Dumont answer success and do nothing. */
function destroyHandler(world: SimWorld): Handler {
  const windows = new DestroyWindows();
  return withInstance(
    world,
    (_req, inst) => {
      const ok = json(200, { success: true, message: `Instance ${inst.id} destroyed successfully` });
      if (windows.arrive(world, inst.label)) return ok;
      if (world.has('destroy-running-ignored', inst.label) && inst.intended === 'running') return ok;
      if (world.has('destroy-paused-ignored', inst.label) && inst.intended === 'stopped') return ok;
      if (destroyIgnored(world, inst)) return ok;
      destroyInstance(world, inst);
      return ok;
    },
    (id) => {
      windows.arrive(world, undefined);
      return json(500, { error: `Failed to destroy instance ${id}` });
    }
  );
}

/** The instance routes, relative to the API root; rows, list, create and extra routes as `profile` says. */
export function dumontInstanceRoutes(world: SimWorld, users: DumontUsers, profile: DumontProfile): FaceRoute[] {
  const authed = (method: HttpMethod, path: string, handle: Handler, destroys = false): FaceRoute => ({
    method,
    path,
    destroys,
    handle: withDumontAuth(users, handle),
  });
  return [
    // Public in the real API (it searches with the system VAST key).
    { method: 'GET', path: '/instances/offers', handle: (req) => searchDumontOffers(world, req) },
    authed('GET', '/instances', (req) => {
      const failure = profile.listFailure();
      if (failure) return failure;
      const wanted = req.query.get('status')?.toLowerCase();
      const instances = [...world.instances.values()]
        .filter((i) => !wanted || i.intended === wanted || (i.actual ?? '') === wanted)
        .map((i) => profile.instanceRow(i, 'list'));
      return json(200, { instances, count: instances.length });
    }),
    authed('POST', '/instances', (req) => createDumontInstance(world, profile, jsonBody(req))),
    // Declared before `/instances/{id}` in the real router, so `balance` is never read as an instance id.
    authed('GET', '/instances/balance', () => json(200, dumontBalance(world, undefined))),
    authed('GET', '/balance', (req) => json(200, dumontBalance(world, req.user))),
    authed(
      'GET',
      '/instances/:id',
      withInstance(world, (_req, inst) => json(200, profile.instanceRow(inst, 'get')))
    ),
    authed(
      'GET',
      '/instances/:id/health',
      withInstance(world, (_req, inst) =>
        json(200, {
          instance_id: inst.id,
          healthy: inst.intended === 'running',
          status: inst.intended,
          gpu_name: inst.offer.gpu_name,
          ssh_available: visibleSshPort(world, inst) !== null,
        })
      )
    ),
    authed(
      'POST',
      '/instances/:id/pause',
      withInstance(world, (_req, inst) => {
        if (!world.has('pause-ignored', inst.label)) stopInstance(world, inst);
        return json(200, { success: true, message: `Instance ${inst.id} paused successfully` });
      })
    ),
    authed(
      'POST',
      '/instances/:id/resume',
      withInstance(world, (_req, inst) => {
        startInstance(world, inst);
        return json(200, { success: true, message: `Instance ${inst.id} resumed successfully` });
      })
    ),
    authed('DELETE', '/instances/:id', destroyHandler(world), true),
    ...profile.instanceRoutes.map((r) =>
      authed(
        r.method,
        r.path,
        withInstance(world, (_req, inst) => r.handle(inst))
      )
    ),
  ];
}
