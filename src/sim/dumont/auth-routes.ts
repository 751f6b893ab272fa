/** Dumont's `/auth/*` routes: register, login (email or username), me, logout. Never faulted. */
import type { FaceRoute } from '../core/http/face-server';
import { bearerToken, json, jsonBody, type SimResponse } from '../core/http/sim-http';
import { validationError, type ValidationDetail } from './dumont-errors';
import type { DumontUsers } from './dumont-users';

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

/** The auth routes, relative to the API root. */
export function authRoutes(users: DumontUsers): FaceRoute[] {
  return [
    { method: 'POST', path: '/auth/register', faultable: false, handle: (req) => register(users, jsonBody(req)) },
    { method: 'POST', path: '/auth/login', faultable: false, handle: (req) => login(users, jsonBody(req)) },
    {
      method: 'GET',
      path: '/auth/me',
      faultable: false,
      handle: (req) => {
        const token = bearerToken(req);
        const email = token ? users.verify(token) : undefined;
        return json(
          200,
          email ? { authenticated: true, user: { email, username: email, settings: {} } } : { authenticated: false }
        );
      },
    },
    {
      method: 'POST',
      path: '/auth/logout',
      faultable: false,
      handle: () => json(200, { success: true, message: 'Logged out' }),
    },
  ];
}
