/**
 * The VAST face: `/api/v0/...` and `/api/v1/instances/` with VAST's shapes, status codes and error
 * bodies (`reference/vast-api.md` §1–5). Auth is the account's API key as a bearer header or as the
 * legacy `?api_key=` query parameter; offer search also answers anonymous callers, as VAST does.
 */
import { billingSummary } from './billing';
import type { HttpFault } from './faults';
import { createDispatcher, jsonBody, bearerToken, type Route, type SimRequest, type SimResponse } from './http-kit';
import { createInstance, destroyInstance, startInstance, stopInstance, type CreateRequest } from './instance-lifecycle';
import { parsePublicKeys } from './ssh-host';
import { matchesFilters, parseOrder, parseVastQuery, sortRows, type Row } from './vast-query';
import { vastChargeRows, vastInstanceRow, vastOfferRow, vastVolumeRow } from './wire-vast';
import type { SimInstance } from './types';
import type { SimWorld } from './world';

const json = (status: number, body: unknown): SimResponse => ({ status, body });
const AUTH_ERROR = json(401, { success: false, error: 'auth_error', msg: 'Invalid user key' });

/** Columns `/api/v1/instances/` can filter and order on (stored ones; computed ones such as dph_total are 400). */
const STORED_COLUMNS = new Set([
  'id',
  'label',
  'actual_status',
  'intended_status',
  'cur_state',
  'next_state',
  'status_msg',
  'machine_id',
  'host_id',
  'bundle_id',
  'gpu_name',
  'image_uuid',
  'image_runtype',
  'is_bid',
  'start_date',
  'end_date',
  'geolocation',
  'disk_space',
  'ssh_port',
  'public_ipaddr',
]);

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
    .map((o) => vastOfferRow(o, query.type))
    .filter((row) => matchesFilters(row, query.filters));
  return json(200, { offers: sortRows(rows, query.order).slice(0, query.limit ?? 64) });
}

/** `env` as VAST takes it: an object (docker flags such as "-p 8000:8000" as keys are not env) or a flag string. */
function parseEnv(raw: unknown): [string, string][] {
  if (raw === undefined || raw === null) return [];
  if (typeof raw === 'string') {
    const pairs: [string, string][] = [];
    const re = /-e\s+([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|\S*)/g;
    for (let m = re.exec(raw); m; m = re.exec(raw)) pairs.push([m[1], m[2].replace(/^["']|["']$/g, '')]);
    return pairs;
  }
  if (typeof raw === 'object' && !Array.isArray(raw)) {
    return Object.entries(raw as Row)
      .filter(([k]) => !k.startsWith('-'))
      .map(([k, v]) => [k, String(v)]);
  }
  throw new Error('env must be an object or a string');
}

function createFromAsk(world: SimWorld, rawId: string, body: Row): SimResponse {
  const askId = Number(rawId);
  const invalid = (msg: string, error = 'invalid_args'): SimResponse =>
    json(400, { success: false, error, msg: `error 400/3467: Invalid args: ${msg}`, ask_id: askId });
  if (!Number.isInteger(askId) || askId <= 0) return invalid('invalid ask id');
  if (typeof body.image !== 'string' || body.image.trim() === '') {
    if (body.template_hash_id === undefined) return invalid('image is required');
  }
  let price: number | undefined;
  if (body.price !== undefined && body.price !== null) {
    price = Number(body.price);
    if (!Number.isFinite(price) || price < 0.001 || price > 128) {
      return json(400, {
        success: false,
        error: 'invalid_price',
        msg: 'Please set a bid price >= 0.001.',
        ask_id: askId,
      });
    }
  }
  const disk = body.disk === undefined || body.disk === null ? 10 : Number(body.disk);
  if (!Number.isFinite(disk) || disk <= 0)
    return invalid(`disk must be a positive number, got ${JSON.stringify(body.disk)}`);
  if (body.label !== undefined && body.label !== null && typeof body.label !== 'string')
    return invalid('label must be a string');
  if (
    body.onstart !== undefined &&
    body.onstart !== null &&
    (typeof body.onstart !== 'string' || body.onstart.length > 4048)
  ) {
    return invalid('onstart must be a string of at most 4048 characters');
  }
  let env: [string, string][];
  try {
    env = parseEnv(body.env);
  } catch (err) {
    return invalid((err as Error).message);
  }
  const req: CreateRequest = {
    offerId: askId,
    image: typeof body.image === 'string' && body.image.trim() !== '' ? body.image.trim() : 'vastai/base-image:latest',
    disk,
    label: typeof body.label === 'string' ? body.label : null,
    env,
    onstart: typeof body.onstart === 'string' ? body.onstart : null,
    runtype: typeof body.runtype === 'string' ? body.runtype : 'ssh',
    price,
    via: 'vast',
  };
  const result = createInstance(world, req);
  if (result === 'no_such_ask') {
    return json(404, {
      success: false,
      error: 'invalid_args',
      msg: `error 404/3603: no_such_ask Instance type by id ${askId} is not available.`,
      ask_id: askId,
    });
  }
  if (result.isBid && result.intended === 'stopped') {
    // VAST's partial success: the contract exists (stopped) although the call reports failure.
    return json(200, {
      success: false,
      error: 'bid_too_low',
      msg: `Bid ${result.dphTotal} is below the current minimum ${result.offer.min_bid}; instance created stopped.`,
      new_contract: result.id,
      instance_api_key: result.instanceApiKey,
    });
  }
  return json(200, { success: true, new_contract: result.id, instance_api_key: result.instanceApiKey });
}

function listInstancesV1(world: SimWorld, req: SimRequest): SimResponse {
  const bad = (error: string, msg: string): SimResponse => json(400, { success: false, error, msg });
  let filters;
  let order: [string, 'asc' | 'desc'][];
  try {
    const selectFilters = JSON.parse(req.query.get('select_filters') ?? '{}') as unknown;
    filters = parseVastQuery(selectFilters, []).filters;
    order = parseOrder(JSON.parse(req.query.get('order_by') ?? '[{"col":"id","dir":"asc"}]')) ?? [['id', 'asc']];
  } catch (err) {
    return bad('invalid_request', `Invalid select_filters or order_by: ${(err as Error).message}`);
  }
  for (const column of [...filters.map((f) => f.field), ...order.map(([c]) => c)]) {
    if (!STORED_COLUMNS.has(column)) return bad('invalid_request', `Invalid column: ${column}`);
  }
  let limit = Number(req.query.get('limit') ?? 25);
  if (!Number.isFinite(limit)) return bad('invalid_request', `Invalid limit: ${req.query.get('limit')}`);
  limit = limit <= 0 ? 5 : Math.min(25, Math.floor(limit));
  let offset = 0;
  const token = req.query.get('after_token');
  if (token) {
    const decoded = /^o:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
    if (!decoded) return bad('invalid_token', 'Invalid after_token');
    offset = Number(decoded[1]);
  }
  const matching = sortRows(
    [...world.instances.values()].map((i) => vastInstanceRow(world, i)).filter((row) => matchesFilters(row, filters)),
    order
  );
  const page = matching.slice(offset, offset + limit);
  const labelCounts: Record<string, number> = {};
  for (const row of matching)
    if (typeof row.label === 'string') labelCounts[row.label] = (labelCounts[row.label] ?? 0) + 1;
  const next = offset + limit < matching.length ? Buffer.from(`o:${offset + limit}`).toString('base64url') : null;
  return json(200, {
    success: true,
    instances_found: matching.length,
    total_instances: world.instances.size,
    label_counts: labelCounts,
    next_token: next,
    instances: page,
  });
}
