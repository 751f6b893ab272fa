/**
 * VAST's instance routes: rent (`PUT /api/v0/asks/{id}/`, `launch_instance`), show, change state or label, destroy
 * (one or in bulk), the other renter verbs (`./renter-ops.ts`), and the two list endpoints (`/api/v1/instances/`,
 * and the deprecated `/api/v0/instances/`).
 */
import type { FaceRoute, HttpMethod } from '../core/http/face-server';
import { json, jsonBody, type SimRequest, type SimResponse } from '../core/http/sim-http';
import { destroyInstance, startInstance, stopInstance } from '../instances/instance-control';
import type { SimInstance } from '../instances/instance-record';
import type { SimWorld } from '../world';
import { createFromAsk } from './create-from-ask';
import { listInstancesV1 } from './instance-list-v1';
import { withVastAuth } from './vast-auth';
import { bulkDestroy, bulkUpdate, launchInstance } from './bulk-and-launch';
import {
  changeBid,
  executeCommand,
  instanceBalance,
  isOutbid,
  prepayInstance,
  rebootInstance,
  recycleInstance,
  requestLogs,
} from './renter-ops';
import { updateTemplate } from './update-template';
import type { Row } from './vast-query';
import { vastInstanceRow } from './wire-vast';

/** What logs answer for an id that names no instance (vast-api.md §3.7). */
const invalidId = (): SimResponse => json(404, { error: 'invalid_id', msg: 'Invalid instance id.' });

const noSuchInstance = (id: number): SimResponse =>
  json(404, { success: false, error: 'no_such_instance', msg: `Instance ${id} not found.` });

/** Resolves `:id` to a live instance; a bad id is 400, a missing one `onMissing` (404 by default). */
function withInstance(
  world: SimWorld,
  handle: (req: SimRequest, inst: SimInstance) => SimResponse,
  onMissing: (id: number) => SimResponse = noSuchInstance
): (req: SimRequest) => SimResponse {
  return (req) => {
    const id = Number(req.params.id);
    if (!Number.isInteger(id) || id <= 0)
      return json(400, { success: false, error: 'invalid_args', msg: 'invalid instance_id' });
    const inst = world.instances.get(id);
    return inst ? handle(req, inst) : onMissing(id);
  };
}

/** `PUT /api/v0/instances/{id}/`: `{state}` and/or `{label}`; an outbid instance stays stopped. */
function updateInstance(world: SimWorld, body: Row, inst: SimInstance): SimResponse {
  const invalid = (msg: string): SimResponse => json(400, { success: false, error: 'invalid_args', msg });
  if (body.state !== undefined && body.state !== 'running' && body.state !== 'stopped') {
    return invalid(`invalid state ${JSON.stringify(body.state)}`);
  }
  if (body.label !== undefined) {
    if (body.label !== null && (typeof body.label !== 'string' || body.label.length > 1024)) {
      return invalid('label must be a string of at most 1024 characters');
    }
    inst.label = body.label;
  }
  if (body.state === 'stopped') stopInstance(world, inst);
  if (body.state === 'running' && !isOutbid(inst)) startInstance(world, inst);
  return json(200, { success: true });
}

/** The instance routes of the VAST face. */
export function instanceRoutes(world: SimWorld): FaceRoute[] {
  const route = (
    method: HttpMethod,
    path: string,
    handle: (req: SimRequest) => SimResponse,
    destroys = false
  ): FaceRoute => ({ method, path, destroys, handle: withVastAuth(world, 'account', handle) });
  return [
    route('PUT', '/api/v0/asks/:id/', (req) => createFromAsk(world, req.params.id, jsonBody(req))),
    route('GET', '/api/v0/instances/', () => {
      if (world.v0ListMode === 410) {
        return json(410, { success: false, error: 'gone', msg: 'Use /api/v1/instances/ instead' });
      }
      const instances = [...world.instances.values()].map((i) => vastInstanceRow(world, i));
      return json(200, { instances_found: instances.length, instances });
    }),
    route('GET', '/api/v1/instances/', (req) => listInstancesV1(world, req)),
    route(
      'GET',
      '/api/v0/instances/:id/',
      withInstance(world, (_req, inst) => json(200, { instances: vastInstanceRow(world, inst) }))
    ),
    route(
      'PUT',
      '/api/v0/instances/:id/',
      withInstance(world, (req, inst) => updateInstance(world, jsonBody(req), inst))
    ),
    route('PUT', '/api/v0/instances/', (req) =>
      bulkUpdate(world, req, (inst, body) => updateInstance(world, body, inst))
    ),
    route('DELETE', '/api/v0/instances/', (req) => bulkDestroy(world, req), true),
    route('PUT', '/api/v0/launch_instance/', (req) => launchInstance(world, req)),
    route(
      'PUT',
      '/api/v0/instances/reboot/:id/',
      withInstance(world, (_req, inst) => rebootInstance(world, inst))
    ),
    route(
      'PUT',
      '/api/v0/instances/recycle/:id/',
      withInstance(world, (_req, inst) => recycleInstance(world, inst))
    ),
    route(
      'PUT',
      '/api/v0/instances/update_template/:id/',
      withInstance(world, (req, inst) => updateTemplate(world, req, inst))
    ),
    route(
      'PUT',
      '/api/v0/instances/bid_price/:id/',
      withInstance(world, (req, inst) => changeBid(world, req, inst))
    ),
    route(
      'GET',
      '/api/v0/instances/balance/:id/',
      withInstance(world, (_req, inst) => instanceBalance(world, inst))
    ),
    route(
      'PUT',
      '/api/v0/instances/prepay/:id/',
      withInstance(world, (req, inst) => prepayInstance(world, req, inst))
    ),
    route(
      'PUT',
      '/api/v0/instances/request_logs/:id/',
      withInstance(world, (req, inst) => requestLogs(world, req, inst), invalidId)
    ),
    route(
      'PUT',
      '/api/v0/instances/command/:id/',
      withInstance(world, (req, inst) => executeCommand(world, req, inst))
    ),
    route(
      'DELETE',
      '/api/v0/instances/:id/',
      withInstance(
        world,
        (_req, inst) => {
          destroyInstance(world, inst);
          return json(200, { success: true, msg: `Instance ${inst.id} destroyed.` });
        },
        () => json(404, { error: 'not_found', msg: 'Instance not found' })
      ),
      true
    ),
  ];
}
