/**
 * VAST's auth: the account's API key as a bearer header or as the legacy `?api_key=` query parameter
 * (both still accepted by VAST). Offer search also answers anonymous callers, but not a wrong key.
 */
import { bearerToken, type SimRequest, type SimResponse } from '../core/http/sim-http';
import type { SimWorld } from '../world';
import { AUTH_ERROR } from './vast-errors';

/** Who may call a VAST route: the account, anyone with no key or the right one (`search`), or anyone. */
export type VastAuth = 'account' | 'search' | 'public';

type Handler = (req: SimRequest) => SimResponse | Promise<SimResponse>;

/** Whether `req` may call a route guarded by `auth`. */
export function vastAuthorized(world: SimWorld, auth: VastAuth, req: SimRequest): boolean {
  if (auth === 'public') return true;
  const given = bearerToken(req) ?? req.query.get('api_key') ?? undefined;
  return given === world.apiKey || (auth === 'search' && given === undefined);
}

/** Wraps `handle` with the check `auth` asks for (VAST's 401 otherwise). */
export function withVastAuth(world: SimWorld, auth: VastAuth, handle: Handler): Handler {
  return (req) => (vastAuthorized(world, auth, req) ? handle(req) : AUTH_ERROR);
}
