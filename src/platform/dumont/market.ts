/**
 * Dumont's market routes (docs/platform-contract.md § Market): the recorded market history, the 24 h price
 * prediction, the host reliability ranking and each machine's recorded outcomes, and the live price WebSocket
 * (an extension: Dumont has none). A route the platform does not have answers {@link PlatformLacksError}.
 */
import WebSocket from 'ws';
import { z } from 'zod';
import { PlatformLacksError } from '../errors';
import type { DumontClient, DumontInstance } from '../types';
import { lacksAwareCall, num } from './routes';
import { dumontInstanceSchema } from './schemas';

const recordSchema = z.looseObject({
  gpu_name: z.string(),
  timestamp: z.string(),
  epoch: num.nullish(),
  avg_price: num,
  region_prices: z.record(z.string(), num).nullish(),
});
/** One recorded market sample: platform epoch seconds and the GPU's average $/h. */
export interface MarketRecord {
  gpuName: string;
  epoch: number;
  avgPrice: number;
}

const predictionSchema = z.looseObject({
  gpu_name: z.string(),
  hourly_predictions: z.record(z.string(), num),
  model_confidence: num.nullish(),
  generated_at: z.string().nullish(),
  valid_until: z.string().nullish(),
  model_version: z.string().nullish(),
});
/** The 24 h prediction as the harness keeps it (hour of day UTC → $/h). */
export interface PricePrediction {
  gpuName: string;
  hourly: Record<string, number>;
  confidence: number | null;
  /** Platform epoch seconds the prediction was made (valid_until − 24 h when only that is given), or null. */
  madeAt: number | null;
  modelVersion: string | null;
}

const providerSchema = z.looseObject({
  machine_id: num,
  gpu_name: z.string().nullish(),
  geolocation: z.string().nullish(),
  reliability_score: num,
  total_observations: num.nullish(),
});
/** One row of the reliability ranking. */
export type ProviderRow = z.output<typeof providerSchema>;

const historySchema = z.looseObject({
  machine_id: num,
  history: z.array(z.looseObject({ success: z.boolean(), event_type: z.string().nullish() })),
});

const epochOf = (iso: string | null | undefined): number | null => {
  const ms = iso ? Date.parse(iso) : NaN;
  return Number.isFinite(ms) ? ms / 1000 : null;
};

/** A message of the live price stream. */
export interface PriceMessage {
  type: string;
  sample: number;
  epoch: number;
  prices: { gpu_name: string; region: string; price: number }[];
}

/** The market client over one Dumont client. */
export function marketApi(dumont: DumontClient) {
  const call = lacksAwareCall(dumont);

  return {
    /** The recorded samples of `gpuName` over the last `hours`, oldest first. */
    async history(gpuName: string, hours: number): Promise<MarketRecord[]> {
      const rows = await call({
        method: 'GET',
        path: '/api/v1/metrics/market',
        params: { gpu_name: gpuName, hours, limit: 5000 },
        schema: z.array(recordSchema),
      });
      return rows
        .map((r) => ({ gpuName: r.gpu_name, epoch: r.epoch ?? epochOf(r.timestamp) ?? 0, avgPrice: r.avg_price }))
        .sort((a, b) => a.epoch - b.epoch);
    },
    /** The latest sample's platform epoch seconds. */
    async latestSample(): Promise<number> {
      const body = await call({
        method: 'GET',
        path: '/api/v1/metrics/market/summary',
        schema: z.looseObject({ epoch: num.nullish(), timestamp: z.string() }),
      });
      return body.epoch ?? epochOf(body.timestamp) ?? 0;
    },
    async prediction(gpuName: string): Promise<PricePrediction> {
      const body = await call({
        method: 'GET',
        path: `/api/v1/metrics/predictions/${encodeURIComponent(gpuName.replace(/ /g, '_'))}`,
        schema: predictionSchema,
      });
      const validUntil = epochOf(body.valid_until);
      return {
        gpuName: body.gpu_name,
        hourly: body.hourly_predictions,
        confidence: body.model_confidence ?? null,
        madeAt: epochOf(body.generated_at) ?? (validUntil === null ? null : validUntil - 86_400),
        modelVersion: body.model_version ?? null,
      };
    },
    async providers(query: { limit: number; gpu_name?: string }): Promise<ProviderRow[]> {
      return call({
        method: 'GET',
        path: '/api/v1/metrics/providers',
        params: { order_by: 'reliability_score', ...query },
        schema: z.array(providerSchema),
      });
    },
    /** A machine's recorded outcomes (successes and total). */
    async machineOutcomes(machineId: number): Promise<{ ok: number; total: number }> {
      const body = await call({
        method: 'GET',
        path: `/api/v1/reliability/machines/${machineId}/history`,
        schema: historySchema,
      });
      return { ok: body.history.filter((h) => h.success).length, total: body.history.length };
    },
    /** Rents `offerId` as an interruptible instance bidding `bidPrice` $/h (an extension route). Not idempotent. */
    async createSpot(req: {
      offer_id: number;
      bid_price: number;
      label: string;
      image?: string;
      disk_size?: number;
    }): Promise<DumontInstance> {
      return call({
        method: 'POST',
        path: '/api/v1/spot/instances',
        data: req,
        schema: dumontInstanceSchema,
        idempotent: false,
        timeoutMs: 180_000,
      });
    },
    /**
     * Subscribes to the live prices of `gpuName` for `ms` real milliseconds, calling `onMessage` for each message
     * as it arrives; resolves when the time is up (the socket closed) or rejects when the socket fails.
     */
    async watch(gpuName: string, ms: number, onMessage: (m: PriceMessage) => void): Promise<void> {
      const path = `/api/v1/market/prices/ws?gpu_name=${encodeURIComponent(gpuName)}`;
      const endpoint = 'GET /api/v1/market/prices/ws';
      if (!dumont.socket) throw new PlatformLacksError('platform lacks a price WebSocket', { endpoint, status: 404 });
      const { url, headers } = await dumont.socket(path);
      await new Promise<void>((resolve, reject) => {
        const ws = new WebSocket(url, { headers });
        let heard = false;
        const timer = setTimeout(() => ws.close(1000, 'done'), ms);
        ws.on('message', (data) => {
          heard = true;
          try {
            onMessage(JSON.parse(String(data)) as PriceMessage);
          } catch {
            // A garbled frame is not a price: counted as nothing.
          }
        });
        ws.on('unexpected-response', (_req, res) => {
          clearTimeout(timer);
          const status = res.statusCode ?? 0;
          reject(
            status === 404
              ? new PlatformLacksError(`platform lacks ${endpoint} (WebSocket)`, { endpoint, status })
              : new Error(`price WebSocket refused: HTTP ${status}`)
          );
        });
        ws.on('error', (err) => {
          clearTimeout(timer);
          reject(err);
        });
        ws.on('close', (code) => {
          clearTimeout(timer);
          // 4404 before any message: the server has no such stream (a WebSocket route cannot answer 404 itself).
          if (code === 4404 && !heard)
            reject(new PlatformLacksError(`platform lacks ${endpoint} (WebSocket)`, { endpoint, status: 404 }));
          else resolve();
        });
      });
    },
  };
}

export type MarketApi = ReturnType<typeof marketApi>;
