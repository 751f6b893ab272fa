/**
 * The admin API under `/_sim/` on the Dumont port (bearer = the VAST API key): state, defects, faults, and
 * a host failure on demand. Faults never touch it, so a test can always read and reset the simulator; both
 * trailing-slash forms answer.
 */
import type { FaceRoute, HttpMethod } from '../core/http/face-server';
import { bearerToken, json, jsonBody, type SimRequest, type SimResponse } from '../core/http/sim-http';
import { parseFaultSettings, type FaultSettings } from '../core/fault-injector';
import { parseHostileSettings, type HostileSettings } from '../core/hostile';
import { DEFECTS, type DefectInput } from '../defect-registry';
import { failover, FAILURE_KINDS, failureKindOf, injectFailure } from '../features/failover';
import { failHost } from '../instances/instance-control';
import type { SimWorld } from '../world';
import { simState } from './sim-state';

/** The controls `RunningSim` exposes, which the admin API calls too (they validate and log). */
export interface SimControls {
  setDefects(defects: readonly DefectInput[]): void;
  addDefects(defects: readonly DefectInput[]): void;
  removeDefects(defects: readonly DefectInput[]): void;
  setFaults(settings: FaultSettings): void;
  setHostile(settings: HostileSettings): void;
}

/** A body field that must be a list of defects (names, `name@prefix` strings or `{name, labelPrefix}`). */
function defectList(value: unknown, field: string): DefectInput[] {
  if (!Array.isArray(value)) throw new Error(`${field} must be a list of defects, got ${JSON.stringify(value)}`);
  return value as DefectInput[];
}

/** Runs `fn`, answering 400 with its error message when it throws. */
function orBadRequest(fn: () => SimResponse): SimResponse {
  try {
    return fn();
  } catch (err) {
    return json(400, { error: (err as Error).message });
  }
}

/** The admin routes. */
export function adminRoutes(world: SimWorld, controls: SimControls): FaceRoute[] {
  const route = (method: HttpMethod, path: string, handle: (req: SimRequest) => SimResponse): FaceRoute => ({
    method,
    path: `/_sim${path}`,
    faultable: false,
    eitherSlash: true,
    handle: (req) =>
      bearerToken(req) === world.apiKey
        ? handle(req)
        : json(401, { error: 'The admin API needs the VAST API key as bearer token' }),
  });
  const defectsBody = (): SimResponse =>
    json(200, { defects: world.defects.names(), available: Object.values(DEFECTS).map((d) => ({ ...d })) });
  return [
    route('GET', '/state', () => json(200, simState(world))),
    route('GET', '/defects', defectsBody),
    route('PUT', '/defects', (req) =>
      orBadRequest(() => {
        controls.setDefects(defectList(jsonBody(req).defects, 'defects'));
        return defectsBody();
      })
    ),
    route('PATCH', '/defects', (req) =>
      orBadRequest(() => {
        const body = jsonBody(req);
        // Validate both lists before changing anything.
        const add = body.add === undefined ? [] : defectList(body.add, 'add');
        const remove = body.remove === undefined ? [] : defectList(body.remove, 'remove');
        const before = world.defects.list();
        try {
          controls.removeDefects(remove);
          controls.addDefects(add);
        } catch (err) {
          controls.setDefects(before);
          throw err;
        }
        return defectsBody();
      })
    ),
    route('GET', '/faults', () => json(200, world.faults.settings())),
    route('PUT', '/faults', (req) =>
      orBadRequest(() => {
        const body = jsonBody(req);
        controls.setFaults(parseFaultSettings({ rate: body.rate, kinds: body.kinds, seed: body.seed }));
        return json(200, world.faults.settings());
      })
    ),
    route('GET', '/hostile', () => json(200, world.hostile.view())),
    route('PUT', '/hostile', (req) =>
      orBadRequest(() => {
        controls.setHostile(parseHostileSettings(jsonBody(req)));
        return json(200, world.hostile.view());
      })
    ),
    route('POST', '/instances/:id/host-failure', (req) => {
      const inst = world.instances.get(Number(req.params.id));
      if (!inst) return json(404, { error: `no live instance ${req.params.id}` });
      const reason = jsonBody(req).reason;
      failHost(world, inst, typeof reason === 'string' && reason !== '' ? reason : 'simulated host failure');
      return json(200, { success: true, instance: inst.id, actual_status: inst.actual });
    }),
    // A failure the platform must find out about by its own health checks (the failover feature).
    route('POST', '/instances/:id/failure', (req) => {
      const inst = world.instances.get(Number(req.params.id));
      if (!inst) return json(404, { error: `no live instance ${req.params.id}` });
      const raw = jsonBody(req).kind;
      const kind = failureKindOf(raw);
      if (!kind || (raw !== undefined && !FAILURE_KINDS.includes(raw as never))) {
        return json(400, { error: `kind must be one of ${FAILURE_KINDS.join(', ')}, got ${JSON.stringify(raw)}` });
      }
      const failure = injectFailure(world, world.features.stateOf(failover), inst, kind);
      return json(200, {
        success: true,
        instance: inst.id,
        kind: failure.kind,
        at: failure.at,
        actual_status: inst.actual,
      });
    }),
  ];
}
