/**
 * VAST's account-wide instance verbs (vast-api.md §3.2, §3.4, §3.5): bulk state/label change on `PUT
 * /api/v0/instances/ {ids}`, bulk destroy on `DELETE /api/v0/instances/ {instance_ids}`, and `PUT
 * /api/v0/launch_instance/`, which searches the offers with `q` and rents the first in one call.
 */
import { json, jsonBody, type SimRequest, type SimResponse } from '../core/http/sim-http';
import { destroyInstance } from '../instances/instance-control';
import type { SimInstance } from '../instances/instance-record';
import type { SimWorld } from '../world';
import { createFromAsk } from './create-from-ask';
import { matchesFilters, parseVastQuery, sortRows, type Row } from './vast-query';
import { vastOfferRow } from './wire-vast';

/** The instances `raw` names (an array of ids), and the ids that name none; undefined when `raw` is no id list. */
function resolveIds(world: SimWorld, raw: unknown): { found: SimInstance[]; unknown: unknown[] } | undefined {
  if (!Array.isArray(raw) || raw.length === 0) return undefined;
  const found: SimInstance[] = [];
  const unknown: unknown[] = [];
  for (const id of raw) {
    const inst = world.instances.get(Number(id));
    if (inst) found.push(inst);
    else unknown.push(id);
  }
  return { found, unknown };
}

const answer = (unknown: unknown[]): SimResponse =>
  unknown.length === 0
    ? json(200, { success: true })
    : json(200, { success: false, error: 'no_such_instance', msg: `No instance with id ${unknown.join(', ')}.` });

/** `PUT /api/v0/instances/ {ids, state?, label?}`: the single-instance update applied to each id. */
export function bulkUpdate(
  world: SimWorld,
  req: SimRequest,
  update: (inst: SimInstance, body: Row) => SimResponse
): SimResponse {
  const body = jsonBody(req);
  const ids = resolveIds(world, body.ids);
  if (!ids)
    return json(400, { success: false, error: 'invalid_args', msg: 'ids must be a non-empty list of instance ids' });
  for (const inst of ids.found) {
    const res = update(inst, body);
    if (res.status !== 200) return res;
  }
  return answer(ids.unknown);
}

/** `DELETE /api/v0/instances/ {instance_ids}`. */
export function bulkDestroy(world: SimWorld, req: SimRequest): SimResponse {
  const ids = resolveIds(world, jsonBody(req).instance_ids);
  if (!ids)
    return json(400, {
      success: false,
      error: 'invalid_args',
      msg: 'instance_ids must be a non-empty list of instance ids',
    });
  for (const inst of ids.found) destroyInstance(world, inst);
  return answer(ids.unknown);
}

/**
 * `PUT /api/v0/launch_instance/ {q, gpu_name?, num_gpus?, image, disk, label, ...}`: the cheapest offer matching `q`
 * (and `gpu_name`/`num_gpus`), rented with the create fields as `PUT /asks/{id}/` would.
 */
export function launchInstance(world: SimWorld, req: SimRequest): SimResponse {
  const body = jsonBody(req);
  const q: Row = typeof body.q === 'object' && body.q !== null ? { ...(body.q as Row) } : {};
  if (typeof body.gpu_name === 'string') q.gpu_name = { eq: body.gpu_name };
  if (body.num_gpus !== undefined && body.num_gpus !== null) q.num_gpus = { eq: Number(body.num_gpus) };
  let query;
  try {
    query = parseVastQuery(q, [['dph_total', 'asc']]);
  } catch (err) {
    return json(400, { success: false, error: 'invalid_request', msg: (err as Error).message });
  }
  const now = world.clock.platformNow();
  const rows = world
    .availableOffers()
    .map((o) => vastOfferRow(o, query.type, now))
    .filter((row) => matchesFilters(row, query.filters));
  const best = sortRows(rows, query.order)[0];
  if (!best) return json(404, { success: false, error: 'no_such_ask', msg: 'No offer matches the query.' });
  return createFromAsk(world, String(best.id), body);
}
