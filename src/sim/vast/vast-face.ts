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
import { vastAuthorized, withVastAuth } from './vast-auth';
import { VAST_ERRORS } from './vast-errors';

/** WebSocket close code for a refused credential (4000-4999 are the application's). */
const WS_UNAUTHORIZED = 4401;

/** The VAST face's routes: its own, then the features'. */
export function vastRoutes(world: SimWorld): FaceRoute[] {
  const features = world.features.routes('vast').map(({ route, ctx }): FaceRoute => {
    const auth = route.auth === 'public' ? 'public' : 'account';
    const { handle, websocket } = route;
    return {
      method: route.method,
      path: route.path,
      faultable: route.faultable,
      destroys: route.destroys,
      body: route.body,
      handle: handle && withVastAuth(world, auth, (req) => handle.call(route, req, ctx)),
      websocket:
        websocket &&
        ((socket, req) =>
          vastAuthorized(world, auth, req)
            ? websocket.call(route, socket, req, ctx)
            : socket.close(WS_UNAUTHORIZED, 'Invalid user key')),
    };
  });
  return [...offerSearchRoutes(world), ...instanceRoutes(world), ...accountRoutes(world), ...features];
}

/** Starts the VAST face on host:port (0 = random). */
export function startVastFace(world: SimWorld, host: string, port: number): Promise<HttpFace> {
  return startFace(host, port, {
    slashes: 'either',
    routes: vastRoutes(world),
    errors: VAST_ERRORS,
    faults: world.faults,
  });
}
