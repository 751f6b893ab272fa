/**
 * One face of the simulator as a Fastify server on loopback: per-route params, the face's trailing-slash
 * policy, lenient body parsers (a bad JSON body only fails the handlers that read it, with the face's own
 * error), `@fastify/multipart` and `@fastify/websocket` for routes that declare them, and the transient
 * HTTP faults as hooks (`./fault-hooks.ts`).
 */
import fastifyMultipart from '@fastify/multipart';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { AddressInfo } from 'node:net';
import type { WebSocket } from 'ws';
import type { FaultInjector, HttpFault } from '../fault-injector';
import { installHostileHooks, type HostileFace, type HostileSwitch } from '../hostile';
import { installFaultHooks, type RouteFaultConfig } from './fault-hooks';
import { hasEmptyParam, sendResponse, toSimRequest } from './fastify-glue';
import { BadJsonError, parseBodyText, type MultipartForm, type SimRequest, type SimResponse } from './sim-http';

/** The methods a face route may declare. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
const METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'];

/** One route of a face. Exactly one of `handle` and `websocket` is given. */
export interface FaceRoute {
  method: HttpMethod;
  /** Fastify path syntax: `/api/v0/instances/:id/`. */
  path: string;
  /** False for routes faults never touch (auth, admin, health, WebSockets). @default true */
  faultable?: boolean;
  /** A DELETE of an instance or volume: the destroy-fails fault may answer the face's 500 instead. */
  destroys?: boolean;
  /** On a face that redirects the other trailing-slash form, answer both forms instead (admin API). */
  eitherSlash?: boolean;
  /** `multipart`: the handler gets `req.form`. @default 'json' */
  body?: 'json' | 'multipart';
  handle?: (req: SimRequest) => SimResponse | Promise<SimResponse>;
  /** A WebSocket route: called once the upgrade is done (never faulted). */
  websocket?: (socket: WebSocket, req: SimRequest) => void;
}

/** How a face words its errors. */
export interface FaceErrors {
  notFound(req: SimRequest): SimResponse;
  methodNotAllowed(req: SimRequest): SimResponse;
  badJson(req: SimRequest): SimResponse;
  internalError(err: unknown): SimResponse;
  /** The answer of a 429 or 5xx fault. */
  fault(fault: Exclude<HttpFault, { kind: 'drop' }>): SimResponse;
  /** The answer of the destroy-fails fault (the DELETE did nothing). */
  destroyFailed(req: SimRequest): SimResponse;
}

/** One face: its routes, its error wording, its slash policy and the fault injector its hooks draw from. */
export interface FaceSpec {
  /**
   * `either`: `/x` and `/x/` answer alike (VAST). `redirect`: a route answers only its declared form and
   * the other form gets a 307 to it, query string kept (FastAPI's redirect_slashes, as Dumont runs).
   */
  slashes: 'either' | 'redirect';
  routes: FaceRoute[];
  errors: FaceErrors;
  faults: FaultInjector;
  /** The hostile-answer switch and the face's name (`docs/hostile.md`); absent: never hostile. */
  hostile?: { switch: HostileSwitch; face: HostileFace };
  /**
   * The server's clock, epoch seconds: every answer's `Date` header says it, as a real server sends its own clock
   * (the simulator's faces send platform time, `../clock.ts`). Absent: Node's real-time `Date`.
   */
  clock?: () => number;
}

/** A listening face. */
export interface HttpFace {
  url: string;
  close(): Promise<void>;
}

const otherSlashForm = (path: string): string => (path.endsWith('/') ? path.replace(/\/+$/, '') || '/' : `${path}/`);

/** Builds the face's Fastify app (not listening yet). */
export async function buildFace(spec: FaceSpec): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    routerOptions: { ignoreTrailingSlash: spec.slashes === 'either' },
    // Close keep-alive connections on stop, as a killed server would.
    forceCloseConnections: true,
    bodyLimit: 1024 * 1024,
  });
  // Every body is read as text and parsed leniently; handlers decide whether a bad one matters.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, parseBodyText(String(body))));
  await app.register(fastifyMultipart, { limits: { fileSize: 16 * 1024 * 1024 } });
  await app.register(fastifyWebsocket);
  installFaultHooks(app, spec);
  const clock = spec.clock;
  if (clock) {
    // Every answer, errors and redirects included (Node then adds no real-time Date of its own).
    app.addHook('onSend', async (_request, reply, payload) => {
      reply.header('date', new Date(clock() * 1000).toUTCString());
      return payload;
    });
  }
  if (spec.hostile) installHostileHooks(app, spec.hostile.switch, spec.hostile.face);

  for (const route of spec.routes) {
    const paths =
      spec.slashes === 'redirect' && route.eitherSlash ? [route.path, otherSlashForm(route.path)] : [route.path];
    const config: RouteFaultConfig = {
      faultable: route.websocket ? false : route.faultable !== false,
      destroys: !!route.destroys,
    };
    for (const url of paths) {
      if (route.websocket) {
        const onSocket = route.websocket;
        app.route({
          method: 'GET',
          url,
          config,
          // A plain GET on a WebSocket route is a 404, as on a server without that route.
          handler: (request, reply) => sendResponse(reply, spec.errors.notFound(toSimRequest(request))),
          wsHandler: (socket, request) => onSocket(socket, toSimRequest(request)),
        });
        continue;
      }
      const handle = route.handle;
      if (!handle) throw new Error(`route ${route.method} ${route.path} has neither handle nor websocket`);
      app.route({
        method: route.method,
        url,
        config,
        handler: async (request, reply) => {
          if (hasEmptyParam(request.params)) return reply.callNotFound();
          const req = toSimRequest(request);
          if (route.body === 'multipart' && request.isMultipart()) req.form = await readForm(request);
          let res: SimResponse;
          try {
            res = await handle(req);
          } catch (err) {
            res = err instanceof BadJsonError ? spec.errors.badJson(req) : spec.errors.internalError(err);
          }
          return sendResponse(reply, res);
        },
      });
    }
  }

  // A path parameter never matches an empty segment (`/instances/` is not `/instances/:id`), as in Starlette.
  const matchesAnyMethod = (path: string): boolean =>
    METHODS.some((method) => {
      const found = app.findRoute({ method, url: path });
      return found !== null && !hasEmptyParam(found.params);
    });
  app.setNotFoundHandler((request, reply) => {
    const req = toSimRequest(request);
    // The path exists with other methods: 405, before any redirect (Starlette's partial match).
    if (matchesAnyMethod(req.path)) return sendResponse(reply, spec.errors.methodNotAllowed(req));
    if (spec.slashes === 'redirect') {
      const other = otherSlashForm(req.path);
      if (other !== req.path && matchesAnyMethod(other)) {
        const query = req.query.toString();
        const host = request.headers.host ?? 'localhost';
        return reply
          .code(307)
          .header('location', `http://${host}${other}${query ? `?${query}` : ''}`)
          .send();
      }
    }
    return sendResponse(reply, spec.errors.notFound(req));
  });
  app.setErrorHandler((err: { statusCode?: number; message?: string }, request, reply) => {
    const status = err.statusCode ?? 500;
    if (status === 413) return sendResponse(reply, { status, body: { error: 'Request body too large' } });
    if (status >= 400 && status < 500)
      return sendResponse(reply, { status, body: { error: err.message ?? 'Bad request' } });
    return sendResponse(reply, spec.errors.internalError(err));
  });
  return app;
}

/** Serves a face on host:port (0 = random). */
export async function startFace(host: string, port: number, spec: FaceSpec): Promise<HttpFace> {
  const app = await buildFace(spec);
  await app.listen({ host, port });
  const address = app.server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return { url: `http://${host}:${address.port}`, close: () => (closing ??= app.close()) };
}

async function readForm(request: FastifyRequest): Promise<MultipartForm> {
  const form: MultipartForm = { fields: {}, files: [] };
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      form.files.push({
        field: part.fieldname,
        filename: part.filename,
        mimetype: part.mimetype,
        data: await part.toBuffer(),
      });
    } else {
      form.fields[part.fieldname] = String(part.value);
    }
  }
  return form;
}
