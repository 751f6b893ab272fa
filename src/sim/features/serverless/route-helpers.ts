/**
 * Small helpers shared by the serverless feature's route files: the route and context types, the path id
 * parse, and the path-instance resolver.
 */
import { json, type SimRequest, type SimResponse } from '../../core/http/sim-http';
import { validationError } from '../../dumont/dumont-errors';
import type { SimInstance } from '../../instances/instance-record';
import type { FeatureContext, FeatureRoute } from '../types';
import type { ServerlessState } from './serverless-store';

export type Ctx = FeatureContext<ServerlessState>;
export type Route = FeatureRoute<ServerlessState>;

/** The path's id: 422 when not an integer (FastAPI's path validation), else the number. */
export function pathId(req: SimRequest, param = 'id'): number | SimResponse {
  const id = Number(req.params[param]);
  if (!Number.isInteger(id)) {
    return validationError([
      { loc: ['path', 'instance_id'], msg: 'Input should be a valid integer', type: 'int_parsing' },
    ]);
  }
  return id;
}

/** Resolves the path's instance: 422, 404 `{error}`, or the handler's answer. */
export function withInstance(
  handle: (req: SimRequest, ctx: Ctx, inst: SimInstance) => SimResponse | Promise<SimResponse>
): (req: SimRequest, ctx: Ctx) => SimResponse | Promise<SimResponse> {
  return (req, ctx) => {
    const id = pathId(req);
    if (typeof id !== 'number') return id;
    const inst = ctx.world.instances.get(id);
    return inst ? handle(req, ctx, inst) : json(404, { error: `Instance ${id} not found` });
  };
}
