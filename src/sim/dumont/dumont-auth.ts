/**
 * Dumont's auth: `Authorization: Bearer <JWT>` issued by `/auth/login`; anything else on a guarded route
 * is 401 `{error}`. A valid token's user email is handed to the handler as `req.user`.
 */
import { bearerToken, json, type SimRequest, type SimResponse } from '../core/http/sim-http';
import type { DumontUsers } from './dumont-users';

type Handler = (req: SimRequest) => SimResponse | Promise<SimResponse>;

/** The 401 for `req`, or undefined (and `req.user` set) when its token is valid. */
export function dumontAuthError(users: DumontUsers, req: SimRequest): SimResponse | undefined {
  const token = bearerToken(req);
  if (!token) return json(401, { error: 'Not authenticated' });
  const email = users.verify(token);
  if (!email) return json(401, { error: 'Invalid or expired token' });
  req.user = email;
  return undefined;
}

/** Wraps `handle` so it only runs for a valid token. */
export function withDumontAuth(users: DumontUsers, handle: Handler): Handler {
  return (req) => dumontAuthError(users, req) ?? handle(req);
}
