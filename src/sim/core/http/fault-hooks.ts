/**
 * Transient HTTP faults as Fastify hooks, on faultable routes only (never on a 404, a redirect, auth,
 * health or the admin API). The fault is drawn when the request arrives: a 429/5xx answers before the
 * handler runs; `drop` destroys the socket either before the handler runs or after it took effect (the
 * client never learns the outcome, the worst case for idempotency); `destroy-fails` answers the face's
 * 500 to a DELETE of an instance or volume without running it.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FaceSpec } from './face-server';
import { hasEmptyParam, sendResponse, toSimRequest } from './fastify-glue';

/** What a route tells the hooks (Fastify route `config`). */
export interface RouteFaultConfig {
  faultable: boolean;
  destroys: boolean;
}

/** Adds the fault hooks to `app`. */
export function installFaultHooks(app: FastifyInstance, spec: Pick<FaceSpec, 'faults' | 'errors'>): void {
  const dropAfterEffect = new WeakSet<FastifyRequest>();

  app.addHook('onRequest', async (request, reply) => {
    const config = request.routeOptions.config as Partial<RouteFaultConfig> | undefined;
    // Not faultable, or about to be a 404 (an empty path parameter): no fault.
    if (!config?.faultable || hasEmptyParam(request.params)) return;
    const fault = spec.faults.httpFault();
    if (fault?.kind === 'drop') {
      if (fault.afterEffect) {
        dropAfterEffect.add(request);
        return;
      }
      reply.hijack();
      request.raw.socket.destroy();
      return reply;
    }
    if (fault) return sendResponse(reply, spec.errors.fault(fault));
    if (config.destroys && spec.faults.roll('destroy-fails')) {
      return sendResponse(reply, spec.errors.destroyFailed(toSimRequest(request)));
    }
  });

  app.addHook('onSend', async (request, _reply, payload) => {
    // The handler ran (the request took effect); the answer never leaves.
    if (dropAfterEffect.has(request)) request.raw.socket.destroy();
    return payload;
  });
}
