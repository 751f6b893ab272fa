/** `GET /api/v1/instances/`: filtered, ordered, paged instance rows (`docs/simulator.md` § VAST face). */
import { json, type SimRequest, type SimResponse } from '../core/http/sim-http';
import type { SimWorld } from '../world';
import { matchesFilters, parseOrder, parseVastQuery, sortRows } from './vast-query';
import { vastInstanceRow } from './wire-vast';

/** Columns `/api/v1/instances/` can filter and order on (stored ones; computed ones such as dph_total are 400). */
const STORED_COLUMNS = new Set([
  'id',
  'label',
  'actual_status',
  'intended_status',
  'cur_state',
  'next_state',
  'status_msg',
  'machine_id',
  'host_id',
  'bundle_id',
  'gpu_name',
  'image_uuid',
  'image_runtype',
  'is_bid',
  'start_date',
  'end_date',
  'geolocation',
  'disk_space',
  'ssh_port',
  'public_ipaddr',
]);

/** Answers one page; `after_token` is an opaque offset. */
export function listInstancesV1(world: SimWorld, req: SimRequest): SimResponse {
  const bad = (error: string, msg: string): SimResponse => json(400, { success: false, error, msg });
  let filters;
  let order: [string, 'asc' | 'desc'][];
  try {
    const selectFilters = JSON.parse(req.query.get('select_filters') ?? '{}') as unknown;
    filters = parseVastQuery(selectFilters, []).filters;
    order = parseOrder(JSON.parse(req.query.get('order_by') ?? '[{"col":"id","dir":"asc"}]')) ?? [['id', 'asc']];
  } catch (err) {
    return bad('invalid_request', `Invalid select_filters or order_by: ${(err as Error).message}`);
  }
  for (const column of [...filters.map((f) => f.field), ...order.map(([c]) => c)]) {
    if (!STORED_COLUMNS.has(column)) return bad('invalid_request', `Invalid column: ${column}`);
  }
  let limit = Number(req.query.get('limit') ?? 25);
  if (!Number.isFinite(limit)) return bad('invalid_request', `Invalid limit: ${req.query.get('limit')}`);
  limit = limit <= 0 ? 5 : Math.min(25, Math.floor(limit));
  let offset = 0;
  const token = req.query.get('after_token');
  if (token) {
    const decoded = /^o:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
    if (!decoded) return bad('invalid_token', 'Invalid after_token');
    offset = Number(decoded[1]);
  }
  const matching = sortRows(
    [...world.instances.values()].map((i) => vastInstanceRow(world, i)).filter((row) => matchesFilters(row, filters)),
    order
  );
  const page = matching.slice(offset, offset + limit);
  const labelCounts: Record<string, number> = {};
  for (const row of matching)
    if (typeof row.label === 'string') labelCounts[row.label] = (labelCounts[row.label] ?? 0) + 1;
  const next = offset + limit < matching.length ? Buffer.from(`o:${offset + limit}`).toString('base64url') : null;
  return json(200, {
    success: true,
    instances_found: matching.length,
    total_instances: world.instances.size,
    label_counts: labelCounts,
    next_token: next,
    instances: page,
  });
}
