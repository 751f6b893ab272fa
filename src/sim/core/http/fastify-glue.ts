/** Between Fastify's request/reply and the simulator's plain {@link SimRequest}/{@link SimResponse}. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SimRequest, SimResponse } from './sim-http';

/** The handler's view of a Fastify request. */
export function toSimRequest(request: FastifyRequest): SimRequest {
  const url = new URL(request.raw.url ?? '/', 'http://sim.invalid');
  return {
    method: request.method,
    path: url.pathname,
    params: (request.params ?? {}) as Record<string, string>,
    query: url.searchParams,
    headers: request.headers,
    body: request.body,
  };
}

/** Writes a handler's response. */
export function sendResponse(reply: FastifyReply, res: SimResponse): FastifyReply {
  const text = res.text ?? JSON.stringify(res.body ?? null);
  const contentType = res.contentType ?? (res.text !== undefined ? 'text/plain; charset=utf-8' : 'application/json');
  return reply
    .code(res.status)
    .headers({ ...res.headers, 'content-type': contentType })
    .send(text);
}

/** True when a route matched with an empty path parameter (which the routers the faces imitate never do). */
export function hasEmptyParam(params: unknown): boolean {
  return Object.values((params ?? {}) as Record<string, unknown>).some((v) => v === '');
}
