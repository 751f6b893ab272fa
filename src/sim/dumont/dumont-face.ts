/**
 * The Dumont face: `/api/v1/auth/*` and `/api/v1/instances*` (also under `/api`, as the real app mounts
 * its router twice) with Dumont's shapes and `{"error": ...}` bodies (`reference/dumont-api.md` §0–3).
 * Dumont instances are the VAST instances of the simulator's one account. Dumont-only defects (the
 * platform answering wrongly while VAST stays truthful) hook in here.
 */
import type { HttpFault } from '../core/fault-injector';
import { DumontUsers } from './dumont-users';
import { bearerToken, createDispatcher, jsonBody, type Route, type SimRequest, type SimResponse } from '../core/http-kit';
import {
  BASE_IMAGE,
  createInstance,
  destroyInstance,
  startInstance,
  stopInstance,
  visibleSshPort,
} from '../instances/instance-lifecycle';
import { searchDumontOffers, validationError, type ValidationDetail } from './dumont-offers';
import type { SimInstance } from '../types';
import { dumontInstanceRow } from './wire-dumont';
import type { SimWorld } from '../world';

const json = (status: number, body: unknown): SimResponse => ({ status, body });
const DEFAULT_IMAGE = 'pytorch/pytorch:2.1.0-cuda12.1-cudnn8-runtime';
const API = '^/api(?:/v1)?';

/** The Dumont face's fault responses: always `{"error": ...}`, as its error middleware writes them. */
function dumontFaultResponse(fault: Exclude<HttpFault, { kind: 'drop' }>): SimResponse {
  if (fault.kind === '429') return json(429, { error: 'API requests too frequent, slow down' });
  const messages = { 500: 'Internal server error', 502: 'Bad gateway', 503: 'Service unavailable' } as const;
  return json(fault.status, { error: messages[fault.status] });
}

/** The Dumont face's request handler; `extraRoutes` (the admin API) share its port. */
export function createDumontFace(
  world: SimWorld,
  users: DumontUsers,
  extraRoutes: Route[]
): (req: SimRequest) => Promise<SimResponse | 'drop'> {
  const route = (method: string, path: string, handle: Route['handle'], faultable = true): Route => ({
    method,
    pattern: new RegExp(`${API}${path}$`),
    faultable,
    handle,
  });
  const authed =
    (handle: (req: SimRequest, params: string[], email: string) => SimResponse) =>
    (req: SimRequest, params: string[]): SimResponse => {
      const token = bearerToken(req);
      if (!token) return json(401, { error: 'Not authenticated' });
      const email = users.verify(token);
      return email ? handle(req, params, email) : json(401, { error: 'Invalid or expired token' });
    };
  const withInstance =
    (handle: (req: SimRequest, inst: SimInstance) => SimResponse, onMissing?: (id: string) => SimResponse) =>
    (req: SimRequest, params: string[]): SimResponse => {
      const id = Number(params[0]);
      if (!Number.isInteger(id)) {
        return validationError([
          { loc: ['path', 'instance_id'], msg: 'Input should be a valid integer', type: 'int_parsing' },
        ]);
      }
      const inst = world.instances.get(id);
      if (inst) return handle(req, inst);
      return onMissing ? onMissing(params[0]) : json(404, { error: `Instance ${params[0]} not found` });
    };

  const routes: Route[] = [
    route('POST', '/auth/register', (req) => register(users, jsonBody(req)), false),
    route('POST', '/auth/login', (req) => login(users, jsonBody(req)), false),
    route(
      'GET',
      '/auth/me',
      (req) => {
        const token = bearerToken(req);
        const email = token ? users.verify(token) : undefined;
        return json(
          200,
          email ? { authenticated: true, user: { email, username: email, settings: {} } } : { authenticated: false }
        );
      },
      false
    ),
    route('POST', '/auth/logout', () => json(200, { success: true, message: 'Logged out' }), false),
    // Public in the real API (it searches with the system VAST key).
    route('GET', '/instances/offers', (req) => searchDumontOffers(world, req)),
    route(
      'GET',
      '/instances',
      authed((req) => {
        const wanted = req.query.get('status')?.toLowerCase();
        const instances = [...world.instances.values()]
          .filter((i) => !wanted || i.intended === wanted || (i.actual ?? '') === wanted)
          .map((i) => dumontInstanceRow(world, i, true));
        return json(200, { instances, count: instances.length });
      })
    ),
    route(
      'POST',
      '/instances',
      authed((req) => create(world, jsonBody(req)))
    ),
    route(
      'GET',
      '/instances/([^/]+)',
      authed(withInstance((_req, inst) => json(200, dumontInstanceRow(world, inst, false))))
    ),
    route(
      'GET',
      '/instances/([^/]+)/health',
      authed(
        withInstance((_req, inst) =>
          json(200, {
            instance_id: inst.id,
            healthy: inst.intended === 'running',
            status: inst.intended,
            gpu_name: inst.offer.gpu_name,
            ssh_available: visibleSshPort(world, inst) !== null,
          })
        )
      )
    ),
    route(
      'POST',
      '/instances/([^/]+)/pause',
      authed(
        withInstance((_req, inst) => {
          if (!world.has('pause-ignored')) stopInstance(world, inst);
          return json(200, { success: true, message: `Instance ${inst.id} paused` });
        })
      )
    ),
    route(
      'POST',
      '/instances/([^/]+)/resume',
      authed(
        withInstance((_req, inst) => {
          startInstance(world, inst);
          return json(200, { success: true, message: `Instance ${inst.id} resumed` });
        })
      )
    ),
    route(
      'DELETE',
      '/instances/([^/]+)',
      authed(
        withInstance(
          (_req, inst) => {
            const ok = json(200, { success: true, message: `Instance ${inst.id} destroyed successfully` });
            const now = world.clock.platformNow();
            const realMs = Date.now();
            const last = world.lastDumontDestroy;
            world.lastDumontDestroy = { platform: now, realMs };
            // The window is 5 platform s, but never under 250 real ms, so fast clocks still show the race.
            if (
              world.has('concurrent-destroy-dropped') &&
              last &&
              (now - last.platform < 5 || realMs - last.realMs < 250)
            ) {
              return ok;
            }
            if (world.has('destroy-running-ignored') && inst.intended === 'running') return ok;
            if (world.has('destroy-paused-ignored') && inst.intended === 'stopped') return ok;
            destroyInstance(world, inst);
            return ok;
          },
          (id) => {
            world.lastDumontDestroy = { platform: world.clock.platformNow(), realMs: Date.now() };
            return json(500, { error: `Failed to destroy instance ${id}` });
          }
        )
      )
    ),
    {
      method: 'GET',
      pattern: /^\/health$/,
      faultable: false,
      handle: () => json(200, { status: 'healthy', version: '3.0.0', service: 'dumont-cloud' }),
    },
    ...extraRoutes,
  ];

  return createDispatcher({
    routes,
    faults: world.faults,
    faultResponse: dumontFaultResponse,
    notFound: () => json(404, { error: 'Not Found' }),
    methodNotAllowed: () => json(405, { error: 'Method Not Allowed' }),
    badJson: () => validationError([{ loc: ['body'], msg: 'JSON decode error', type: 'json_invalid' }]),
    internalError: (err) => json(500, { error: 'Internal server error', details: String((err as Error).message) }),
  });
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

function credentials(
  body: Record<string, unknown>,
  emailKeys: string[]
): { email: string; password: string } | SimResponse {
  const details: ValidationDetail[] = [];
  const email = emailKeys.map((k) => body[k]).find((v) => v !== undefined);
  if (typeof email !== 'string' || !EMAIL.test(email)) {
    details.push({ loc: ['body', 'email'], msg: 'value is not a valid email address', type: 'value_error' });
  }
  if (typeof body.password !== 'string') {
    details.push({ loc: ['body', 'password'], msg: 'Field required', type: 'missing' });
  }
  if (details.length > 0) return validationError(details);
  return { email: email as string, password: body.password as string };
}

function register(users: DumontUsers, body: Record<string, unknown>): SimResponse {
  const creds = credentials(body, ['email']);
  if ('status' in creds) return creds;
  if (creds.password.length < 6) {
    return validationError([
      { loc: ['body', 'password'], msg: 'String should have at least 6 characters', type: 'string_too_short' },
    ]);
  }
  if (!users.register(creds.email, creds.password)) return json(400, { error: 'User already exists' });
  return json(200, { success: true, user: creds.email.toLowerCase(), token: users.issue(creds.email) });
}

function login(users: DumontUsers, body: Record<string, unknown>): SimResponse {
  const creds = credentials(body, ['email', 'username']);
  if ('status' in creds) return creds;
  if (!users.check(creds.email, creds.password)) return json(401, { error: 'Invalid email or password' });
  return json(200, { success: true, user: creds.email.toLowerCase(), token: users.issue(creds.email) });
}

function create(world: SimWorld, body: Record<string, unknown>): SimResponse {
  const details: ValidationDetail[] = [];
  // Pydantic's lax mode: numeric strings are accepted for numbers, as the real API does.
  const numeric = (value: unknown): number =>
    typeof value === 'number' || typeof value === 'string' ? Number(value) : NaN;
  const offerId = numeric(body.offer_id);
  if (body.offer_id === undefined || body.offer_id === null) {
    details.push({ loc: ['body', 'offer_id'], msg: 'Field required', type: 'missing' });
  } else if (!Number.isInteger(offerId)) {
    details.push({ loc: ['body', 'offer_id'], msg: 'Input should be a valid integer', type: 'int_parsing' });
  }
  if (body.image !== undefined && body.image !== null && typeof body.image !== 'string') {
    details.push({ loc: ['body', 'image'], msg: 'Input should be a valid string', type: 'string_type' });
  }
  const disk = body.disk_size === undefined || body.disk_size === null ? 100 : numeric(body.disk_size);
  if (!Number.isFinite(disk) || disk < 10) {
    details.push({
      loc: ['body', 'disk_size'],
      msg: 'Input should be greater than or equal to 10',
      type: 'greater_than_equal',
    });
  }
  if (body.label !== undefined && body.label !== null && typeof body.label !== 'string') {
    details.push({ loc: ['body', 'label'], msg: 'Input should be a valid string', type: 'string_type' });
  }
  if (details.length > 0) return validationError(details);
  const requested = typeof body.image === 'string' && body.image.trim() !== '' ? body.image.trim() : DEFAULT_IMAGE;
  const result = createInstance(world, {
    offerId,
    image: world.has('custom-image-ignored') ? BASE_IMAGE : requested,
    disk,
    label: typeof body.label === 'string' ? body.label : null,
    env: [],
    onstart: typeof body.onstart_cmd === 'string' ? body.onstart_cmd : null,
    runtype: 'jupyter',
    via: 'dumont',
  });
  if (result === 'no_such_ask') {
    return json(500, {
      error: `Oferta ${String(offerId)} indisponível: error 404/3603: no_such_ask Instance type by id ${String(offerId)} is not available.`,
    });
  }
  return json(201, dumontInstanceRow(world, result, true));
}
