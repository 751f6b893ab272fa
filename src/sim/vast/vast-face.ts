/**
 * The VAST face: `/api/v0/...` and `/api/v1/instances/` with VAST's shapes, status codes and error
 * bodies (`reference/vast-api.md` §1–5). Auth is the account's API key as a bearer header or as the
 * legacy `?api_key=` query parameter; offer search also answers anonymous callers, as VAST does.
 */
import { billingSummary } from '../core/billing';
import type { HttpFault } from '../core/fault-injector';
import { createDispatcher, jsonBody, bearerToken, type Route, type SimRequest, type SimResponse } from '../core/http-kit';
import { destroyInstance, startInstance, stopInstance } from '../instances/instance-lifecycle';
import { createFromAsk } from './create-from-ask';
import { listInstancesV1 } from './instance-list-v1';
import { parsePublicKeys } from '../instances/ssh-host';
import { matchesFilters, parseVastQuery, sortRows, type Row } from './vast-query';
import { vastChargeRows, vastInstanceRow, vastOfferRow, vastVolumeRow } from './wire-vast';
import type { SimInstance } from '../types';
import type { SimWorld } from '../world';

const json = (status: number, body: unknown): SimResponse => ({ status, body });
const AUTH_ERROR = json(401, { success: false, error: 'auth_error', msg: 'Invalid user key' });

/** The 429 bodies VAST sends, in rotation (§4): plain text, `{detail}`, `{success,error,msg}`. */
export function vastFaultResponse(fault: Exclude<HttpFault, { kind: 'drop' }>): SimResponse {
  if (fault.kind === '429') {
    if (fault.shape === 0) return { status: 429, text: 'API requests too frequent endpoint threshold=2.0' };
    if (fault.shape === 1) return json(429, { detail: 'API requests too frequent endpoint threshold=4.5' });
    return json(429, {
      success: false,
      error: 'rate_limit_exceeded',
      msg: 'API requests too frequent endpoint threshold=3.0',
    });
  }
  if (fault.status === 500) return json(500, { success: false, error: 'internal_error', msg: 'Internal server error' });
  const title = fault.status === 502 ? '502 Bad Gateway' : '503 Service Temporarily Unavailable';
  return {
    status: fault.status,
    text: `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`,
    contentType: 'text/html',
  };
}

/** The VAST face's request handler. */
export function createVastFace(world: SimWorld): (req: SimRequest) => Promise<SimResponse | 'drop'> {
  const credentials = (req: SimRequest): string | undefined =>
    bearerToken(req) ?? req.query.get('api_key') ?? undefined;
  const authed =
    (handle: (req: SimRequest, params: string[]) => SimResponse) =>
    (req: SimRequest, params: string[]): SimResponse =>
      credentials(req) === world.apiKey ? handle(req, params) : AUTH_ERROR;
  /** Offer search: anonymous allowed, a wrong key is not. */
  const searchAuth =
    (handle: (req: SimRequest) => SimResponse) =>
    (req: SimRequest): SimResponse => {
      const given = credentials(req);
      return given === undefined || given === world.apiKey ? handle(req) : AUTH_ERROR;
    };
  const withInstance =
    (
      handle: (req: SimRequest, inst: SimInstance, params: string[]) => SimResponse,
      onMissing: (id: number) => SimResponse
    ) =>
    (req: SimRequest, params: string[]): SimResponse => {
      const id = Number(params[0]);
      if (!Number.isInteger(id) || id <= 0)
        return json(400, { success: false, error: 'invalid_args', msg: 'invalid instance_id' });
      const inst = world.instances.get(id);
      return inst ? handle(req, inst, params) : onMissing(id);
    };
  const noSuchInstance = (id: number): SimResponse =>
    json(404, { success: false, error: 'no_such_instance', msg: `Instance ${id} not found.` });

  const route = (method: string, pattern: RegExp, handle: Route['handle']): Route => ({
    method,
    pattern,
    faultable: true,
    handle,
  });
  const routes: Route[] = [
    route(
      'POST',
      /^\/api\/v0\/bundles$/,
      searchAuth((req) => searchOffers(world, jsonBody(req)))
    ),
    route(
      'GET',
      /^\/api\/v0\/bundles$/,
      searchAuth((req) => {
        let q: Row;
        try {
          q = JSON.parse(req.query.get('q') ?? '{}') as Row;
        } catch {
          return json(400, { error: 'invalid_request', msg: 'Invalid json in q' });
        }
        for (const key of ['order', 'type', 'limit']) {
          const value = req.query.get(key);
          if (value !== null && q[key] === undefined) q[key] = key === 'limit' ? Number(value) : tryJson(value);
        }
        return searchOffers(world, q);
      })
    ),
    route(
      'PUT',
      /^\/api\/v0\/search\/asks$/,
      searchAuth((req) => searchOffers(world, (jsonBody(req).q as Row) ?? {}))
    ),
    route(
      'PUT',
      /^\/api\/v0\/asks\/([^/]+)$/,
      authed((req, params) => createFromAsk(world, params[0], jsonBody(req)))
    ),
    route(
      'GET',
      /^\/api\/v0\/instances$/,
      authed(() => {
        if (world.v0ListMode === 410) {
          return json(410, { success: false, error: 'gone', msg: 'Use /api/v1/instances/ instead' });
        }
        const instances = [...world.instances.values()].map((i) => vastInstanceRow(world, i));
        return json(200, { instances_found: instances.length, instances });
      })
    ),
    route(
      'GET',
      /^\/api\/v1\/instances$/,
      authed((req) => listInstancesV1(world, req))
    ),
    route(
      'GET',
      /^\/api\/v0\/instances\/([^/]+)$/,
      authed(withInstance((_req, inst) => json(200, { instances: vastInstanceRow(world, inst) }), noSuchInstance))
    ),
    route(
      'PUT',
      /^\/api\/v0\/instances\/([^/]+)$/,
      authed(
        withInstance((req, inst) => {
          const body = jsonBody(req);
          if (body.state !== undefined && body.state !== 'running' && body.state !== 'stopped') {
            return json(400, {
              success: false,
              error: 'invalid_args',
              msg: `invalid state ${JSON.stringify(body.state)}`,
            });
          }
          if (body.label !== undefined) {
            if (body.label !== null && (typeof body.label !== 'string' || body.label.length > 1024)) {
              return json(400, {
                success: false,
                error: 'invalid_args',
                msg: 'label must be a string of at most 1024 characters',
              });
            }
            inst.label = body.label;
          }
          if (body.state === 'stopped') stopInstance(world, inst);
          if (body.state === 'running') startInstance(world, inst);
          return json(200, { success: true });
        }, noSuchInstance)
      )
    ),
    route(
      'DELETE',
      /^\/api\/v0\/instances\/([^/]+)$/,
      authed(
        withInstance(
          (_req, inst) => {
            destroyInstance(world, inst);
            return json(200, { success: true, msg: `Instance ${inst.id} destroyed.` });
          },
          () => json(404, { error: 'not_found', msg: 'Instance not found' })
        )
      )
    ),
    route(
      'POST',
      /^\/api\/v0\/instances\/([^/]+)\/ssh$/,
      authed(
        withInstance((req, inst) => {
          const key = validKey(jsonBody(req).ssh_key);
          if (!key) return json(400, { success: false, error: 'no_ssh_key', msg: 'Invalid or missing ssh_key' });
          inst.instanceKeys.push({ id: world.nextKeyId++, key });
          return json(200, { success: true, msg: 'SSH key added to instance.' });
        }, noSuchInstance)
      )
    ),
    route(
      'GET',
      /^\/api\/v0\/instances\/([^/]+)\/ssh$/,
      authed(
        withInstance(
          (_req, inst) =>
            json(200, {
              success: true,
              ssh_keys: JSON.stringify(inst.instanceKeys.map((k) => ({ id: k.id, public_key: k.key }))),
            }),
          noSuchInstance
        )
      )
    ),
    route(
      'DELETE',
      /^\/api\/v0\/instances\/([^/]+)\/ssh\/([^/]+)$/,
      authed(
        withInstance((_req, inst, params) => {
          const index = inst.instanceKeys.findIndex((k) => k.id === Number(params[1]));
          if (index < 0) return json(404, { success: false, error: 'no_such_ssh_key', msg: 'SSH key not found' });
          inst.instanceKeys.splice(index, 1);
          return json(200, { success: true });
        }, noSuchInstance)
      )
    ),
    route(
      'POST',
      /^\/api\/v0\/ssh$/,
      authed((req) => {
        const key = validKey(jsonBody(req).ssh_key);
        if (!key) return json(400, { success: false, error: 'no_ssh_key', msg: 'Invalid or missing ssh_key' });
        const record = { id: world.nextKeyId++, key, createdAt: world.clock.platformNow() };
        world.sshKeys.push(record);
        return json(200, { success: true, key: accountKeyRow(world, record) });
      })
    ),
    route(
      'GET',
      /^\/api\/v0\/ssh$/,
      authed(() =>
        json(
          200,
          world.sshKeys.map((k) => accountKeyRow(world, k))
        )
      )
    ),
    route(
      'DELETE',
      /^\/api\/v0\/ssh\/([^/]+)$/,
      authed((_req, params) => {
        const index = world.sshKeys.findIndex((k) => k.id === Number(params[0]));
        if (index < 0) return json(404, { success: false, error: 'no_such_ssh_key', msg: 'SSH key not found' });
        world.sshKeys.splice(index, 1);
        return json(200, { success: true });
      })
    ),
    route(
      'GET',
      /^\/api\/v0\/volumes$/,
      authed(() => json(200, { volumes: world.liveVolumes().map(vastVolumeRow) }))
    ),
    route(
      'DELETE',
      /^\/api\/v0\/volumes$/,
      authed((req) => {
        const raw = req.query.get('id') ?? jsonBody(req).id;
        const id = typeof raw === 'string' ? Number(raw.replace(/^V\./, '')) : Number(raw);
        if (raw === undefined || raw === null || !Number.isInteger(id)) {
          return json(400, { success: false, error: 'invalid_args', msg: 'Please provide a valid volume ID.' });
        }
        const volume = world.liveVolumes().find((v) => v.id === id);
        if (!volume) return json(404, { success: false, error: 'no_such_volume', msg: `Volume ${id} not found.` });
        volume.deletedAt = world.clock.platformNow();
        world.log(`volume ${volume.name} deleted`);
        return json(200, { success: true, msg: `Volume ${volume.name} deleted.` });
      })
    ),
    route(
      'GET',
      /^\/api\/v0\/users\/current$/,
      authed(() => {
        const spent = billingSummary(world).totalUsd;
        return json(200, {
          id: world.accountId,
          username: 'dumont-e2e-sim',
          email: 'sim@dumont-e2e.invalid',
          fullname: 'dumont-e2e simulator',
          credit: Number((1000 - spent).toFixed(6)),
          balance: 0,
          balance_threshold: 5,
          balance_threshold_enabled: false,
          can_pay: true,
          has_billing: true,
          ssh_key: world.sshKeys[0]?.key ?? null,
        });
      })
    ),
    route(
      'GET',
      /^\/api\/v0\/charges$/,
      authed(() => {
        const results = vastChargeRows(world);
        return json(200, { success: true, count: results.length, total: results.length, next_token: null, results });
      })
    ),
  ];

  return createDispatcher({
    routes,
    faults: world.faults,
    faultResponse: vastFaultResponse,
    notFound: (req) => json(404, { success: false, error: 'not_found', msg: `No route for ${req.method} ${req.path}` }),
    methodNotAllowed: (req) =>
      json(405, { success: false, error: 'method_not_allowed', msg: `${req.method} not allowed on ${req.path}` }),
    badJson: () => json(400, { error: 'invalid_request', msg: 'Invalid json body' }),
    internalError: (err) => json(500, { success: false, error: 'internal_error', msg: (err as Error).message }),
  });
}

function tryJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function validKey(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const key = raw.trim();
  return parsePublicKeys([key]).length > 0 ? key : undefined;
}

function accountKeyRow(world: SimWorld, k: { id: number; key: string; createdAt: number }): Record<string, unknown> {
  return {
    id: k.id,
    user_id: world.accountId,
    public_key: k.key,
    created_at: new Date(k.createdAt * 1000).toISOString(),
    deleted_at: null,
  };
}

function searchOffers(world: SimWorld, body: Row): SimResponse {
  let query;
  try {
    query = parseVastQuery(body, [['score', 'desc']]);
  } catch (err) {
    return json(400, { error: 'invalid_request', msg: (err as Error).message });
  }
  const rows = world
    .availableOffers()
    .map((o) => vastOfferRow(o, query.type, world.clock.platformNow()))
    .filter((row) => matchesFilters(row, query.filters));
  return json(200, { offers: sortRows(rows, query.order).slice(0, query.limit ?? 64) });
}
