/**
 * VAST's query language (`docs/simulator.md` § VAST face): `{field: {op: value}}` with ops eq, neq, gt, gte,
 * lt, lte, in, notin, plus the control keys `type`, `order`, `limit`. Unknown fields are ignored, as
 * the real API does with the blocklist keys of third-party scripts.
 */

/** Keys of a query body that steer the search rather than filter rows. */
const CONTROL_KEYS = new Set(['type', 'order', 'limit', 'allocated_storage', 'disable_bundling', 'extra_ids', 'q']);

const ALIASES: Record<string, string> = {
  dph: 'dph_total',
  cuda_vers: 'cuda_max_good',
  dlperf_usd: 'dlperf_per_dphtotal',
  flops_usd: 'flops_per_dphtotal',
};

const OPS: Record<string, string> = { '!=': 'neq', nin: 'notin', 'not in': 'notin', '==': 'eq', '=': 'eq' };

export type Row = Record<string, unknown>;

/** A parsed search: filters, then order and limit. */
export interface VastQuery {
  filters: { field: string; op: string; value: unknown }[];
  order: [string, 'asc' | 'desc'][];
  limit: number | undefined;
  /** `bid` (interruptible) or `on-demand` (default; `ondemand` and `reserved` too). */
  type: 'on-demand' | 'bid';
}

/** Parses a filter object; throws an Error with a message fit for a 400 body when it is malformed. */
export function parseVastQuery(body: unknown, defaultOrder: [string, 'asc' | 'desc'][]): VastQuery {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new Error('query must be a JSON object');
  const input = body as Row;
  const filters: VastQuery['filters'] = [];
  for (const [rawField, condition] of Object.entries(input)) {
    if (CONTROL_KEYS.has(rawField)) continue;
    const field = ALIASES[rawField] ?? rawField;
    if (condition !== null && typeof condition === 'object' && !Array.isArray(condition)) {
      for (const [rawOp, value] of Object.entries(condition as Row)) {
        const op = OPS[rawOp] ?? rawOp;
        if (!['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'notin'].includes(op)) {
          throw new Error(`unknown operator "${rawOp}" for field "${rawField}"`);
        }
        if ((op === 'in' || op === 'notin') && !Array.isArray(value)) {
          throw new Error(`operator "${rawOp}" for field "${rawField}" needs a list`);
        }
        filters.push({ field, op, value });
      }
    } else {
      // A bare value is an equality (`{"verified": true}`); "any" drops the filter as the CLI does.
      if (condition !== 'any' && condition !== '*') filters.push({ field, op: 'eq', value: condition });
    }
  }
  const type = input.type === 'bid' || input.type === 'interruptible' ? 'bid' : 'on-demand';
  const limit = input.limit === undefined || input.limit === null ? undefined : Number(input.limit);
  if (limit !== undefined && (!Number.isFinite(limit) || limit < 0))
    throw new Error(`invalid limit ${String(input.limit)}`);
  return { filters, order: parseOrder(input.order) ?? defaultOrder, limit, type };
}

/** `[["dph_total","asc"]]`, `["dph_total","asc"]`, `"dph_total"` or `"-score"` → pairs. */
export function parseOrder(raw: unknown): [string, 'asc' | 'desc'][] | undefined {
  if (raw === undefined || raw === null) return undefined;
  const one = (item: unknown): [string, 'asc' | 'desc'] => {
    if (typeof item === 'string') {
      const desc = item.startsWith('-');
      const name = item.replace(/^[-+]/, '');
      return [ALIASES[name] ?? name, desc ? 'desc' : 'asc'];
    }
    if (Array.isArray(item) && typeof item[0] === 'string') {
      const dir = String(item[1] ?? 'asc').toLowerCase();
      return [ALIASES[item[0]] ?? item[0], dir === 'desc' || dir === '-' ? 'desc' : 'asc'];
    }
    if (item !== null && typeof item === 'object' && typeof (item as Row).col === 'string') {
      return [
        (item as Row).col as string,
        String((item as Row).dir ?? 'asc').toLowerCase() === 'desc' ? 'desc' : 'asc',
      ];
    }
    throw new Error(`invalid order ${JSON.stringify(item)}`);
  };
  if (typeof raw === 'string') return raw.split(',').map((s) => one(s.trim()));
  if (!Array.isArray(raw)) throw new Error('order must be a list');
  if (raw.length > 0 && typeof raw[0] === 'string') return [one(raw)];
  return raw.map(one);
}

const norm = (value: unknown): unknown =>
  typeof value === 'string' ? value.replace(/_/g, ' ').trim().toLowerCase() : value;

/** Geolocation matches a value when the whole text or its country code equals it (case-insensitive). */
function geoEquals(geolocation: unknown, value: unknown): boolean {
  if (typeof geolocation !== 'string' || typeof value !== 'string') return false;
  const wanted = value.trim().toLowerCase();
  if (geolocation.toLowerCase() === wanted) return true;
  return geolocation
    .split(',')
    .map((p) => p.trim().toLowerCase())
    .some((p) => p === wanted);
}

function equals(field: string, actual: unknown, value: unknown): boolean {
  if (field === 'geolocation') return geoEquals(actual, value);
  if (typeof actual === 'number' && typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) {
    return actual === Number(value);
  }
  return norm(actual) === norm(value);
}

function compare(actual: unknown, value: unknown): number | undefined {
  const a = Number(actual);
  const b = Number(value);
  if (actual === null || actual === undefined || Number.isNaN(a) || Number.isNaN(b)) return undefined;
  return a - b;
}

/** Whether `row` passes every filter whose field the row has (filters on absent fields are ignored). */
export function matchesFilters(row: Row, filters: VastQuery['filters']): boolean {
  return filters.every(({ field, op, value }) => {
    if (!(field in row)) return true;
    const actual = row[field];
    switch (op) {
      case 'eq':
        return equals(field, actual, value);
      case 'neq':
        return !equals(field, actual, value);
      case 'in':
        return (value as unknown[]).some((v) => equals(field, actual, v));
      case 'notin':
        return !(value as unknown[]).some((v) => equals(field, actual, v));
      default: {
        const diff = compare(actual, value);
        if (diff === undefined) return false;
        return op === 'gt' ? diff > 0 : op === 'gte' ? diff >= 0 : op === 'lt' ? diff < 0 : diff <= 0;
      }
    }
  });
}

/** Sorts rows by the order pairs (stable; nulls last); the tie-breaker is `id` ascending. */
export function sortRows<T extends Row>(rows: T[], order: [string, 'asc' | 'desc'][]): T[] {
  const keyed = [...order, ['id', 'asc'] as [string, 'asc']];
  return [...rows].sort((x, y) => {
    for (const [field, dir] of keyed) {
      const a = x[field];
      const b = y[field];
      if (a === b) continue;
      if (a === null || a === undefined) return 1;
      if (b === null || b === undefined) return -1;
      const diff = typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b));
      if (diff !== 0) return dir === 'asc' ? diff : -diff;
    }
    return 0;
  });
}
