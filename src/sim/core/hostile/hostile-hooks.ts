/**
 * The hostile answers as a Fastify `onSend` hook: after the handler ran (the request took effect, as behind a
 * broken proxy), a successful answer of a faultable route is rewritten by the mode in force.
 */
import type { FastifyInstance } from 'fastify';
import type { RouteFaultConfig } from '../http/fault-hooks';
import type { HostileSwitch } from './hostile-switch';
import type { HostileFace } from './modes';
import { spoil } from './spoil';

/** Adds the hostile hook of `face` to `app`. */
export function installHostileHooks(app: FastifyInstance, hostile: HostileSwitch, face: HostileFace): void {
  app.addHook('onSend', async (request, reply, payload) => {
    const config = request.routeOptions.config as Partial<RouteFaultConfig> | undefined;
    if (!config?.faultable || reply.statusCode < 200 || reply.statusCode >= 300) return payload;
    if (typeof payload !== 'string') return payload;
    const path = new URL(request.raw.url ?? '/', 'http://sim.invalid').pathname;
    const taken = hostile.take(face, request.method, path);
    if (taken === null) return payload;
    const answer = spoil(taken.mode, payload, taken.settings);
    if (answer.status !== undefined) reply.code(answer.status);
    if (answer.contentType !== undefined) reply.header('content-type', answer.contentType);
    // Fastify computes the length of a string payload itself; a stream goes out chunked.
    reply.removeHeader('content-length');
    return answer.payload;
  });
}
