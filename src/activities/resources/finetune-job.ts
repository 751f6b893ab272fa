import { InvalidRequestError, PlatformLacksError, TransientPlatformError } from '../../platform/errors';
import { finetuneApi } from '../../platform/dumont/finetune';
import type { FoundResource, ResourceKind } from './types';

/** The numeric id of a fine-tune job: `ft-<hex>` read as hex, a numeric id as is, anything else hashed. */
export function finetuneJobNumber(id: string): number {
  const hex = /^ft-([0-9a-f]{1,12})$/.exec(id);
  if (hex) return parseInt(hex[1], 16);
  if (/^\d+$/.test(id)) return Number(id);
  let h = 0;
  for (const ch of id) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return h;
}

/**
 * A fine-tune job, labelled by its name (the harness names each job with its step label). Cancelled first (which
 * releases its GPU), then deleted; destroyed before instances so the platform is not still training on one. A platform
 * without the routes has none to clean.
 */
export const finetuneJobKind: ResourceKind = {
  name: 'finetune-job',
  destroyOrder: -2,
  async list(deps, prefix) {
    let rows;
    try {
      rows = await finetuneApi(deps.dumont).list();
    } catch (err) {
      if (err instanceof PlatformLacksError) return [];
      throw err;
    }
    return rows
      .filter((r) => r.name.startsWith(prefix))
      .map((r): FoundResource => ({
        kind: 'finetune-job',
        id: finetuneJobNumber(r.id),
        label: r.name,
        seenAt: ['dumont'],
      }));
  },
  async destroy(deps, found) {
    const api = finetuneApi(deps.dumont);
    const row = (await api.list()).find((r) => finetuneJobNumber(r.id) === found.id && r.name === found.label);
    if (!row) return {};
    if (!['completed', 'failed', 'cancelled'].includes(row.status)) {
      try {
        await api.cancel(row.id);
      } catch (err) {
        // "Not running": it ended meanwhile; the delete below tells.
        if (!(err instanceof InvalidRequestError)) throw err;
      }
    }
    try {
      await api.delete(row.id);
    } catch (err) {
      if (err instanceof InvalidRequestError)
        throw new TransientPlatformError(`fine-tune job ${row.id} not deletable yet: ${err.message}`, {
          endpoint: 'DELETE /api/v1/finetune/jobs/{id}',
          mayHaveTakenEffect: false,
        });
      throw err;
    }
    return {};
  },
};
