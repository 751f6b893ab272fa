/**
 * VAST's offer search: `POST /api/v0/bundles/`, `GET /api/v0/bundles?q=<json>` (order, type and limit also
 * as query parameters) and `PUT /api/v0/search/asks/ {q}`, all over the query language of `vast-query.ts`.
 */
import type { FaceRoute } from '../core/http/face-server';
import { json, jsonBody, type SimResponse } from '../core/http/sim-http';
import type { SimWorld } from '../world';
import { withVastAuth } from './vast-auth';
import { matchesFilters, parseVastQuery, sortRows, type Row } from './vast-query';
import { vastOfferRow } from './wire-vast';

function tryJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function searchOffers(world: SimWorld, body: Row): SimResponse {
  let query;
  try {
    query = parseVastQuery(body, [['score', 'desc']]);
  } catch (err) {
    return json(400, { error: 'invalid_request', msg: (err as Error).message });
  }
  const rows = world
    .availableOffers()
    .map((o) => vastOfferRow(o, query.type, world.clock.platformNow()))
    .filter((row) => matchesFilters(row, query.filters));
  return json(200, { offers: sortRows(rows, query.order).slice(0, query.limit ?? 64) });
}

/** The offer search routes. */
export function offerSearchRoutes(world: SimWorld): FaceRoute[] {
  return [
    {
      method: 'POST',
      path: '/api/v0/bundles/',
      handle: withVastAuth(world, 'search', (req) => searchOffers(world, jsonBody(req))),
    },
    {
      method: 'GET',
      path: '/api/v0/bundles/',
      handle: withVastAuth(world, 'search', (req) => {
        let q: Row;
        try {
          q = JSON.parse(req.query.get('q') ?? '{}') as Row;
        } catch {
          return json(400, { error: 'invalid_request', msg: 'Invalid json in q' });
        }
        for (const key of ['order', 'type', 'limit']) {
          const value = req.query.get(key);
          if (value !== null && q[key] === undefined) q[key] = key === 'limit' ? Number(value) : tryJson(value);
        }
        return searchOffers(world, q);
      }),
    },
    {
      method: 'PUT',
      path: '/api/v0/search/asks/',
      handle: withVastAuth(world, 'search', (req) => searchOffers(world, (jsonBody(req).q as Row) ?? {})),
    },
  ];
}
