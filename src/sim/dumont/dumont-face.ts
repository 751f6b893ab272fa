/**
 * The Dumont face: `/auth/*` and `/instances*` mounted under both `/api/v1` and `/api` (the real app mounts
 * its router twice), Dumont's shapes and `{"error": ...}` bodies (`docs/simulator.md` § Dumont face), its
 * trailing-slash behaviour (the other form gets a 307 to the declared one), `/health`, the Dumont routes
 * of every feature module, and the admin API under `/_sim/`; the simulator's profile (`./profiles/`) shapes
 * every route but the admin API's.
 */
import { startFace, type FaceRoute, type HttpFace } from '../core/http/face-server';
import { json } from '../core/http/sim-http';
import type { SimWorld } from '../world';
import { authRoutes } from './auth-routes';
import { featureFaceRoutes } from '../features/face-routes';
import { dumontAuthError } from './dumont-auth';
import { DUMONT_ERRORS } from './dumont-errors';
import type { DumontUsers } from './dumont-users';
import { dumontInstanceRoutes } from './instance-routes';
import { dumontProfile } from './profiles';

/** Where the real app mounts its API router (twice). */
export const DUMONT_API_ROOTS = ['/api/v1', '/api'] as const;

/**
 * Every route of the Dumont port: the API and `/health` as the simulator's profile shapes them
 * (`./profiles/`); `adminRoutes` are mounted as given (under `/_sim/`).
 */
export function dumontRoutes(world: SimWorld, users: DumontUsers, adminRoutes: FaceRoute[]): FaceRoute[] {
  const profile = dumontProfile(world);
  const api = [
    ...authRoutes(users),
    ...dumontInstanceRoutes(world, users, profile),
    ...featureFaceRoutes(world, 'dumont', {
      refusal: (req) => dumontAuthError(users, req),
      wsReason: 'Not authenticated',
    }),
  ];
  const health: FaceRoute = {
    method: 'GET',
    path: '/health',
    faultable: false,
    handle: () => json(200, { status: 'healthy', version: '3.0.0', service: 'dumont-cloud' }),
  };
  return [
    ...DUMONT_API_ROOTS.flatMap((root) => api.map((r) => profile.wrap({ ...r, path: `${root}${r.path}` }))),
    profile.wrap(health),
    ...adminRoutes,
  ];
}

/** Starts the Dumont face (with the admin API) on host:port (0 = random). */
export function startDumontFace(
  world: SimWorld,
  users: DumontUsers,
  adminRoutes: FaceRoute[],
  host: string,
  port: number
): Promise<HttpFace> {
  return startFace(host, port, {
    slashes: 'redirect',
    routes: dumontRoutes(world, users, adminRoutes),
    errors: DUMONT_ERRORS,
    faults: world.faults,
    clock: () => world.clock.platformNow(),
    hostile: { switch: world.hostile, face: 'dumont' },
  });
}
