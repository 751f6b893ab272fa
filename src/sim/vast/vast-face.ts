/**
 * The VAST face: `/api/v0/...` and `/api/v1/instances/` with VAST's shapes, status codes and error bodies
 * (`docs/simulator.md` § VAST face), plus the VAST routes of every feature module. Paths answer with and
 * without their trailing slash, as VAST's clients use both.
 */
import { startFace, type FaceRoute, type HttpFace } from '../core/http/face-server';
import type { SimWorld } from '../world';
import { accountRoutes } from './account-routes';
import { instanceRoutes } from './instance-routes';
import { offerSearchRoutes } from './offer-search';
import { resultRoutes } from './result-store';
import { featureFaceRoutes } from '../features/face-routes';
import { vastAuthorized } from './vast-auth';
import { AUTH_ERROR, VAST_ERRORS } from './vast-errors';

/** The VAST face's routes: its own, then the features'. */
export function vastRoutes(world: SimWorld): FaceRoute[] {
  const features = featureFaceRoutes(world, 'vast', {
    refusal: (req) => (vastAuthorized(world, 'account', req) ? undefined : AUTH_ERROR),
    wsReason: 'Invalid user key',
  });
  return [
    ...offerSearchRoutes(world),
    ...instanceRoutes(world),
    ...accountRoutes(world),
    ...resultRoutes(world),
    ...features,
  ];
}

/** Starts the VAST face on host:port (0 = random). */
export function startVastFace(world: SimWorld, host: string, port: number): Promise<HttpFace> {
  return startFace(host, port, {
    slashes: 'either',
    routes: vastRoutes(world),
    errors: VAST_ERRORS,
    faults: world.faults,
    clock: () => world.clock.platformNow(),
    hostile: { switch: world.hostile, face: 'vast' },
  });
}
