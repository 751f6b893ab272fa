/**
 * The VAST client (docs/platform-contract.md): bearer auth, every response zod-validated, list calls
 * paged to the end, and "already gone" answers turned into success where the harness must be idempotent.
 */
import { NotFoundError, ProtocolError } from '../errors';
import { createHttpClient, type HttpClient, type HttpClientOptions, type RetryOptions } from '../http';
import { readLabelRows } from '../label-rows';
import type { LabelRows, VastCharge, VastClient, VastFilter, VastInstance, VastOffer, VastVolume } from '../types';
import {
  vastAckSchema,
  vastAddSshKeyResponseSchema,
  vastChargesPageSchema,
  vastFirstInstancePageSchema,
  vastInstancePageSchema,
  vastOffersResponseSchema,
  vastRawInstancePageSchema,
  vastShowInstanceSchema,
  vastSshKeysResponseSchema,
  vastVolumesResponseSchema,
} from './schemas';

/** Options of {@link createVastClient}. */
export interface VastClientOptions {
  /** `https://console.vast.ai` or the simulator's VAST face. */
  baseUrl: string;
  apiKey: string;
  /** @default 30000 */
  timeoutMs?: number;
  retry?: RetryOptions;
  /** See {@link HttpClientOptions.unavailableAfterMs}. @default 300000 */
  unavailableAfterMs?: number;
  /** See {@link HttpClientOptions.maxBodyBytes}. @default 33554432 (32 MiB) */
  maxBodyBytes?: number;
  /** See {@link HttpClientOptions.onRetryableError}. */
  onRetryableError?: HttpClientOptions['onRetryableError'];
}

/** v1 list pages hold at most 25 rows. */
const INSTANCE_PAGE_SIZE = 25;
/** `/charges/` accepts up to 500 per page. */
const CHARGES_PAGE_SIZE = 500;
/** A loop guard: a server that keeps returning tokens would otherwise page forever. */
const MAX_PAGES = 10_000;

/** Creates a {@link VastClient}. The API key is sent only as a bearer header, never in a URL. */
export function createVastClient(opts: VastClientOptions): VastClient {
  const http = createHttpClient({
    baseUrl: opts.baseUrl,
    ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
    ...(opts.retry ? { retry: opts.retry } : {}),
    ...(opts.unavailableAfterMs !== undefined ? { unavailableAfterMs: opts.unavailableAfterMs } : {}),
    ...(opts.maxBodyBytes !== undefined ? { maxBodyBytes: opts.maxBodyBytes } : {}),
    ...(opts.onRetryableError ? { onRetryableError: opts.onRetryableError } : {}),
    headers: () => ({ Authorization: `Bearer ${opts.apiKey}` }),
    secrets: () => [opts.apiKey],
  });

  return {
    serverNow: () => http.serverNow(),

    async searchOffers(filter: VastFilter): Promise<VastOffer[]> {
      // Searching is read-only although it is a POST.
      const body = await http.request({
        method: 'POST',
        path: '/api/v0/bundles/',
        data: filter,
        schema: vastOffersResponseSchema,
      });
      return body.offers;
    },

    async listInstances(listOpts?: { label?: string }): Promise<VastInstance[]> {
      const label = listOpts?.label;
      const rows = await listAllInstances(http, label);
      // Filtering again locally: an SDK once silently dropped server-side filters, and a sweep acting on
      // someone else's instance would be far worse than an extra comparison.
      return label === undefined ? rows : rows.filter((i) => i.label === label);
    },

    async listLabelled(): Promise<LabelRows> {
      const out: LabelRows = { rows: [], unreadable: 0 };
      const seen = new Set<number>();
      await forEachPage(async (afterToken) => {
        const page = await http.request({
          method: 'GET',
          path: '/api/v1/instances/',
          params: { limit: INSTANCE_PAGE_SIZE, ...(afterToken ? { after_token: afterToken } : {}) },
          schema: vastRawInstancePageSchema,
        });
        const read = readLabelRows(page.instances);
        out.unreadable += read.unreadable;
        // Keyed by id: a row can move across a page boundary while we page.
        for (const row of read.rows) if (!seen.has(row.id) && seen.add(row.id)) out.rows.push(row);
        return page.next_token;
      }, 'GET /api/v1/instances/');
      return out;
    },

    async showInstance(id: number): Promise<VastInstance | undefined> {
      const path = `/api/v0/instances/${id}/`;
      try {
        const body = await http.request({
          method: 'GET',
          path,
          params: { owner: 'me' },
          schema: vastShowInstanceSchema,
        });
        const found = body.instances;
        if (found === null) return undefined;
        if (Array.isArray(found)) return found.find((i) => i.id === id);
        return 'id' in found ? (found as VastInstance) : undefined;
      } catch (err) {
        if (err instanceof NotFoundError) return undefined;
        throw err;
      }
    },

    destroyInstance(id: number): Promise<'destroyed' | 'already-gone'> {
      return deleteIdempotently(http, `/api/v0/instances/${id}/`);
    },

    async setState(id: number, state: 'running' | 'stopped'): Promise<void> {
      await http.request({ method: 'PUT', path: `/api/v0/instances/${id}/`, data: { state }, schema: vastAckSchema });
    },

    async listVolumes(): Promise<VastVolume[]> {
      const body = await http.request({
        method: 'GET',
        path: '/api/v0/volumes',
        params: { owner: 'me', type: 'all_volume' },
        schema: vastVolumesResponseSchema,
      });
      return body.volumes;
    },

    deleteVolume(id: number): Promise<'destroyed' | 'already-gone'> {
      return deleteIdempotently(http, '/api/v0/volumes/', { id });
    },

    async addSshKey(publicKey: string): Promise<number> {
      // Not idempotent: a blind repeat after a 5xx could register the key twice.
      return http.request({
        method: 'POST',
        path: '/api/v0/ssh/',
        data: { ssh_key: publicKey },
        schema: vastAddSshKeyResponseSchema,
        idempotent: false,
      });
    },

    async listSshKeys(): Promise<{ id: number; publicKey: string }[]> {
      return http.request({ method: 'GET', path: '/api/v0/ssh/', schema: vastSshKeysResponseSchema });
    },

    async deleteSshKey(id: number): Promise<void> {
      await deleteIdempotently(http, `/api/v0/ssh/${id}/`);
    },

    async attachSshKey(instanceId: number, publicKey: string): Promise<void> {
      // Adding the same key to an instance twice leaves the same authorized set: safe to repeat.
      await http.request({
        method: 'POST',
        path: `/api/v0/instances/${instanceId}/ssh/`,
        data: { ssh_key: publicKey },
        schema: vastAckSchema,
      });
    },

    async listCharges(): Promise<VastCharge[]> {
      const out: VastCharge[] = [];
      await forEachPage(async (afterToken) => {
        const page = await http.request({
          method: 'GET',
          path: '/api/v0/charges/',
          params: { limit: CHARGES_PAGE_SIZE, ...(afterToken ? { after_token: afterToken } : {}) },
          schema: vastChargesPageSchema,
        });
        out.push(...page.results);
        return page.next_token;
      }, 'GET /api/v0/charges/');
      return out;
    },
  };
}

async function listAllInstances(http: HttpClient, label: string | undefined): Promise<VastInstance[]> {
  const endpoint = 'GET /api/v1/instances/';
  const byId = new Map<number, VastInstance>();
  await forEachPage(async (afterToken) => {
    const page = await http.request({
      method: 'GET',
      path: '/api/v1/instances/',
      params: {
        limit: INSTANCE_PAGE_SIZE,
        ...(label !== undefined ? { select_filters: JSON.stringify({ label: { eq: label } }) } : {}),
        ...(afterToken ? { after_token: afterToken } : {}),
      },
      schema: afterToken ? vastInstancePageSchema : vastFirstInstancePageSchema,
    });
    // Keyed by id: a row can move across a page boundary while we page.
    for (const row of page.instances) byId.set(row.id, row);
    return page.next_token;
  }, endpoint);
  return [...byId.values()];
}

/** Calls `fetchPage` with each `after_token` until the server stops returning a `next_token`. */
async function forEachPage(
  fetchPage: (afterToken: string | undefined) => Promise<string | null>,
  endpoint: string
): Promise<void> {
  const seen = new Set<string>();
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const next = await fetchPage(token);
    if (next === null) return;
    if (seen.has(next)) throw new ProtocolError(`${endpoint}: paging token repeated`, { endpoint });
    seen.add(next);
    token = next;
  }
  throw new ProtocolError(`${endpoint}: more than ${MAX_PAGES} pages`, { endpoint });
}

/** DELETE where "not found" (404, `not_found`, `no_such_*`) means the goal is already reached. */
async function deleteIdempotently(
  http: HttpClient,
  path: string,
  params?: Record<string, number>
): Promise<'destroyed' | 'already-gone'> {
  try {
    await http.request({ method: 'DELETE', path, ...(params ? { params } : {}), schema: vastAckSchema });
    return 'destroyed';
  } catch (err) {
    if (err instanceof NotFoundError) return 'already-gone';
    throw err;
  }
}
