/**
 * VAST's money views (vast-api.md §3.10): `GET /api/v0/charges/` (select_filters on `day` and `type`, `limit` ≤ 500,
 * `after_token` pages), `GET /api/v1/invoices/` (select_filters on `when` and `service`, same paging) and the legacy
 * `GET /api/v0/users/me/invoices` (`sdate`/`edate`, `inc_charges`). The account's only invoice is its starting
 * credit, paid when the simulator started.
 */
import type { FaceRoute } from '../core/http/face-server';
import { json, type SimRequest, type SimResponse } from '../core/http/sim-http';
import type { SimWorld } from '../world';
import { withVastAuth } from './vast-auth';
import type { Row } from './vast-query';
import { vastChargeRows } from './wire-vast';

/** Starting credit of the simulated account, USD (its one invoice). */
export const STARTING_CREDIT = 1000;

const bad = (error: string, msg: string): SimResponse => json(400, { success: false, error, msg });

type Filter = (row: Row) => boolean;

/** A date bound as a comparable `YYYY-MM-DD` (a date string, or epoch seconds). */
function day(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value * 1000).toISOString().slice(0, 10);
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value)) return value.slice(0, 10);
  return undefined;
}

/** `select_filters` restricted to `dateField` ranges (gte/gt/lte/lt) and `kindField` eq/in; anything else is 400. */
function parseFilters(raw: string | null, dateField: string, kindField: string): Filter[] | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw ?? '{}');
  } catch {
    return 'select_filters is not JSON';
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'select_filters must be an object';
  const filters: Filter[] = [];
  for (const [field, ops] of Object.entries(parsed as Row)) {
    if (typeof ops !== 'object' || ops === null) return `select_filters.${field} must be {op: value}`;
    for (const [op, value] of Object.entries(ops as Row)) {
      if (field === dateField && ['gte', 'gt', 'lte', 'lt'].includes(op)) {
        const bound = day(value);
        if (bound === undefined) return `select_filters.${field}.${op}: ${JSON.stringify(value)} is not a date`;
        filters.push((row) => {
          const d = String(row[field]);
          return op === 'gte' ? d >= bound : op === 'gt' ? d > bound : op === 'lte' ? d <= bound : d < bound;
        });
      } else if (field === kindField && (op === 'eq' || op === 'in')) {
        const allowed = op === 'in' ? (Array.isArray(value) ? value.map(String) : []) : [String(value)];
        filters.push((row) => allowed.includes(String(row[field])));
      } else return `Invalid column or operator: ${field}.${op}`;
    }
  }
  return filters;
}

/** One page of `rows` after the filters: `{success, count, total, next_token, results}`. */
function page(req: SimRequest, rows: Row[], dateField: string, kindField: string): SimResponse {
  const filters = parseFilters(req.query.get('select_filters'), dateField, kindField);
  if (typeof filters === 'string') return bad('invalid_request', filters);
  const limit = Number(req.query.get('limit') ?? 500);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) return bad('invalid_request', 'limit must be in [1, 500]');
  let offset = 0;
  const token = req.query.get('after_token');
  if (token) {
    const decoded = /^c:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
    if (!decoded) return bad('invalid_token', 'Invalid after_token');
    offset = Number(decoded[1]);
  }
  const matching = rows.filter((row) => filters.every((f) => f(row)));
  const results = matching.slice(offset, offset + limit);
  const next = offset + limit < matching.length ? Buffer.from(`c:${offset + limit}`).toString('base64url') : null;
  return json(200, { success: true, count: results.length, total: matching.length, next_token: next, results });
}

/** The account's invoices: its starting credit. */
function invoiceRows(world: SimWorld): Row[] {
  const when = world.clock.startEpoch;
  return [
    {
      id: 1,
      when,
      day: new Date(when * 1000).toISOString().slice(0, 10),
      type: 'payment',
      service: 'credit',
      description: 'starting credit of the simulated account',
      amount: STARTING_CREDIT,
    },
  ];
}

/** The billing routes of the VAST face. */
export function billingRoutes(world: SimWorld): FaceRoute[] {
  const route = (path: string, handle: (req: SimRequest) => SimResponse): FaceRoute => ({
    method: 'GET',
    path,
    handle: withVastAuth(world, 'account', handle),
  });
  return [
    route('/api/v0/charges/', (req) => page(req, vastChargeRows(world), 'day', 'type')),
    route('/api/v1/invoices/', (req) =>
      page(
        req,
        invoiceRows(world).map((r) => ({ ...r, when: r.day })),
        'when',
        'service'
      )
    ),
    route('/api/v0/users/me/invoices', (req) => {
      const from = day(Number(req.query.get('sdate') ?? NaN)) ?? '0000-00-00';
      const to = day(Number(req.query.get('edate') ?? NaN)) ?? '9999-99-99';
      const inRange = (r: Row) => String(r.day) >= from && String(r.day) <= to;
      const charges = vastChargeRows(world).filter(inRange);
      const withCharges = ['true', '1'].includes(req.query.get('inc_charges') ?? '');
      const invoices = [...invoiceRows(world).filter(inRange), ...(withCharges ? charges : [])];
      const spent = charges.reduce((sum, c) => sum + Number(c.amount), 0);
      return json(200, { invoices, current: { charges: Number(spent.toFixed(6)) } });
    }),
  ];
}
