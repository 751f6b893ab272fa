/**
 * A face's view of the feature modules' routes: each route as the face mounts it, guarded by the face's own auth
 * (a refused request gets the face's error; a refused WebSocket is closed), public routes left open.
 */
import type { FaceRoute } from '../core/http/face-server';
import type { SimRequest, SimResponse } from '../core/http/sim-http';
import type { SimWorld } from '../world';

/** WebSocket close code for a refused credential (4000-4999 are the application's). */
const WS_UNAUTHORIZED = 4401;

export function featureFaceRoutes(
  world: SimWorld,
  face: 'vast' | 'dumont',
  auth: {
    /** The face's answer to a request it refuses, or undefined when the request may pass. */
    refusal: (req: SimRequest) => SimResponse | undefined;
    /** The close reason of a refused WebSocket. */
    wsReason: string;
  }
): FaceRoute[] {
  return world.features.routes(face).map(({ route, ctx }): FaceRoute => {
    const refusal = route.auth === 'public' ? () => undefined : auth.refusal;
    const { handle, websocket } = route;
    return {
      method: route.method,
      path: route.path,
      faultable: route.faultable,
      destroys: route.destroys,
      body: route.body,
      handle: handle && ((req) => refusal(req) ?? handle.call(route, req, ctx)),
      websocket:
        websocket &&
        ((socket, req) => {
          if (refusal(req)) socket.close(WS_UNAUTHORIZED, auth.wsReason);
          else websocket.call(route, socket, req, ctx);
        }),
    };
  });
}
