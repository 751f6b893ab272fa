/**
 * The Dumont client (docs/platform-contract.md): lazy login with a cached JWT, one re-login on 401,
 * `{"error": ...}` bodies mapped by the shared mapper, and the API's misleading answers (404 on any provider
 * error, 500 "Failed to destroy" for an instance that is already gone) interpreted conservatively.
 */
import type { z } from 'zod';
import { AuthError, NotFoundError, PlatformError } from '../errors';
import { createHttpClient, type HttpClientOptions, type HttpRequest, type RetryOptions } from '../http';
import { readLabelRows } from '../label-rows';
import type {
  DumontClient,
  DumontCreateRequest,
  DumontInstance,
  DumontOffer,
  DumontOfferQuery,
  LabelRows,
} from '../types';
import {
  dumontAckSchema,
  dumontInstanceSchema,
  dumontLabelListSchema,
  dumontInstancesResponseSchema,
  dumontLoginResponseSchema,
  dumontOffersResponseSchema,
} from './schemas';

/** How to authenticate: credentials (logged in lazily, re-logged on expiry) or a ready JWT. */
export type DumontAuth = { baseUrl: string; email: string; password: string } | { baseUrl: string; token: string };

/** Transport options of {@link createDumontClient}. */
export interface DumontClientOptions {
  /** @default 30000 */
  timeoutMs?: number;
  /**
   * Timeout of `POST /instances` alone: Dumont rents on VAST, retries VAST itself (2 s..30 s backoff) and reads
   * the instance back before answering, all synchronously. Cutting it short leaves a rental we do not know
   * about (the caller then finds it by label). @default 180000
   */
  createTimeoutMs?: number;
  retry?: RetryOptions;
  /** See {@link HttpClientOptions.unavailableAfterMs}. @default 300000 */
  unavailableAfterMs?: number;
  /** See {@link HttpClientOptions.maxBodyBytes}. @default 33554432 (32 MiB) */
  maxBodyBytes?: number;
  /** See {@link HttpClientOptions.onRetryableError}. */
  onRetryableError?: HttpClientOptions['onRetryableError'];
}

/** Creates a {@link DumontClient}. Nothing is sent until the first call. */
export function createDumontClient(auth: DumontAuth, opts: DumontClientOptions = {}): DumontClient {
  const credentials = 'password' in auth ? { email: auth.email, password: auth.password } : undefined;
  let token: string | undefined = 'token' in auth ? auth.token : undefined;
  let loggingIn: Promise<string> | undefined;

  const http = createHttpClient({
    baseUrl: auth.baseUrl,
    ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
    ...(opts.retry ? { retry: opts.retry } : {}),
    ...(opts.unavailableAfterMs !== undefined ? { unavailableAfterMs: opts.unavailableAfterMs } : {}),
    ...(opts.maxBodyBytes !== undefined ? { maxBodyBytes: opts.maxBodyBytes } : {}),
    ...(opts.onRetryableError ? { onRetryableError: opts.onRetryableError } : {}),
    secrets: () => [credentials?.password, token].filter((s): s is string => !!s),
  });

  /** One login at a time: concurrent first calls share it instead of each logging in. */
  function currentToken(): Promise<string> {
    if (token) return Promise.resolve(token);
    if (!credentials)
      return Promise.reject(
        new AuthError('Dumont: no token and no credentials', { endpoint: 'POST /api/v1/auth/login' })
      );
    loggingIn ??= http
      .request({ method: 'POST', path: '/api/v1/auth/login', data: credentials, schema: dumontLoginResponseSchema })
      .then((body) => (token = body.token))
      .finally(() => (loggingIn = undefined));
    return loggingIn;
  }

  async function authed<S extends z.ZodType>(req: HttpRequest<S>): Promise<z.output<S>> {
    const used = await currentToken();
    try {
      return await http.request({ ...req, headers: { Authorization: `Bearer ${used}` } });
    } catch (err) {
      // JWTs expire (45 days) and secrets rotate: log in again once. A 401 was answered before any effect,
      // so repeating even a create is safe.
      if (!(err instanceof AuthError) || err.status !== 401 || !credentials) throw err;
      if (token === used) token = undefined;
      const fresh = await currentToken();
      return await http.request({ ...req, headers: { Authorization: `Bearer ${fresh}` } });
    }
  }

  async function getInstance(id: number): Promise<DumontInstance | undefined> {
    try {
      return await authed({ method: 'GET', path: `/api/v1/instances/${id}`, schema: dumontInstanceSchema });
    } catch (err) {
      if (err instanceof NotFoundError) return undefined;
      throw err;
    }
  }

  async function listInstances(): Promise<DumontInstance[]> {
    const body = await authed({ method: 'GET', path: '/api/v1/instances', schema: dumontInstancesResponseSchema });
    return body.instances;
  }

  /** Cleanup's read of the list: each row alone, id/label/state only (no quirk elsewhere can fail it). */
  async function listLabelled(): Promise<LabelRows> {
    const body = await authed({ method: 'GET', path: '/api/v1/instances', schema: dumontLabelListSchema });
    return readLabelRows(body.instances);
  }

  /**
   * Dumont answers 500 "Failed to destroy" whenever VAST's DELETE is not 200/204, including for an instance
   * that is already gone, but also on a VAST 429/5xx. Only a 404 on GET that the list confirms counts as gone.
   */
  async function confirmGone(id: number): Promise<boolean> {
    try {
      if ((await getInstance(id)) !== undefined) return false;
      // A row we could not read might be this instance: only a fully readable list proves it gone.
      const listed = await listLabelled();
      return listed.unreadable === 0 && !listed.rows.some((i) => i.id === id);
    } catch {
      return false;
    }
  }

  return {
    async searchOffers(query: DumontOfferQuery): Promise<DumontOffer[]> {
      const params = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined));
      const body = await authed({
        method: 'GET',
        path: '/api/v1/instances/offers',
        params,
        schema: dumontOffersResponseSchema,
      });
      return body.offers;
    },

    createInstance(req: DumontCreateRequest): Promise<DumontInstance> {
      return authed({
        method: 'POST',
        path: '/api/v1/instances',
        // A background GCP standby would be rented (and billed) for every instance otherwise.
        data: { ...req, skip_standby: req.skip_standby ?? true },
        schema: dumontInstanceSchema,
        // Dumont itself retries VAST's rent call on 5xx; a blind repeat here could rent twice.
        idempotent: false,
        timeoutMs: opts.createTimeoutMs ?? 180_000,
      });
    },

    getInstance,
    listInstances,
    listLabelled,
    call: authed,
    serverNow: () => http.serverNow(),

    async socket(path: string) {
      return {
        url: `${auth.baseUrl.replace(/^http/, 'ws').replace(/\/+$/, '')}${path}`,
        headers: { Authorization: `Bearer ${await currentToken()}` },
      };
    },

    async pauseInstance(id: number): Promise<void> {
      await authed({ method: 'POST', path: `/api/v1/instances/${id}/pause`, schema: dumontAckSchema });
    },

    async resumeInstance(id: number): Promise<void> {
      await authed({ method: 'POST', path: `/api/v1/instances/${id}/resume`, schema: dumontAckSchema });
    },

    async destroyInstance(id: number): Promise<'destroyed' | 'already-gone'> {
      try {
        await authed({
          method: 'DELETE',
          path: `/api/v1/instances/${id}`,
          params: { reason: 'user_request' },
          schema: dumontAckSchema,
          // Repeating a "Failed to destroy" blindly wastes the retry budget; ask whether it is gone instead.
          shouldRetry: (e) => !isFailedToDestroy(e),
        });
        return 'destroyed';
      } catch (err) {
        if (err instanceof NotFoundError) return 'already-gone';
        if (isFailedToDestroy(err) && (await confirmGone(id))) return 'already-gone';
        throw err;
      }
    },
  };
}

function isFailedToDestroy(err: unknown): boolean {
  return err instanceof PlatformError && err.status === 500 && /failed to destroy/i.test(err.message);
}
