/**
 * Dumont's host blacklist (docs/platform-contract.md § Blacklist): `GET /instances/blacklist/status`,
 * `POST /instances/blacklist/{machine_id}?reason=` and `DELETE /instances/blacklist/{machine_id}`. The harness
 * writes the entry's label as its reason, so a sweep finds its own entries. A missing route is
 * {@link PlatformLacksError}.
 */
import { z } from 'zod';
import { NotFoundError } from '../errors';
import type { DumontClient } from '../types';
import { lacksAwareCall } from './routes';

const entrySchema = z.looseObject({
  machine_id: z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]),
  reason: z.string().nullish(),
  added_at: z.string().nullish(),
});
/** One blacklisted machine. */
export interface BlacklistEntry {
  machineId: number;
  reason: string | null;
  /** Epoch seconds it was added, when the platform says. */
  addedAt: number | null;
}

const statusSchema = z.looseObject({
  blacklist: z.looseObject({ count: z.number().nullish(), entries: z.array(z.unknown()).nullish() }),
});

/** The blacklist client over one Dumont client. */
export function blacklistApi(dumont: DumontClient) {
  const call = lacksAwareCall(dumont, (path) => path.replace(/\/\d+$/, '/{machine_id}'));
  return {
    /** The machines on the list now (rows it cannot read are skipped). */
    async entries(): Promise<BlacklistEntry[]> {
      const body = await call({ method: 'GET', path: '/api/v1/instances/blacklist/status', schema: statusSchema });
      return (body.blacklist.entries ?? []).flatMap((raw) => {
        const e = entrySchema.safeParse(raw);
        if (!e.success) return [];
        const added = e.data.added_at ? Date.parse(e.data.added_at) : NaN;
        return [
          {
            machineId: e.data.machine_id,
            reason: e.data.reason ?? null,
            addedAt: Number.isFinite(added) ? added / 1000 : null,
          },
        ];
      });
    },
    async add(machineId: number, reason: string): Promise<void> {
      await call({
        method: 'POST',
        path: `/api/v1/instances/blacklist/${machineId}`,
        params: { reason },
        schema: z.unknown(),
      });
    },
    /** Idempotent: a machine not on the list is already removed. */
    async remove(machineId: number): Promise<'removed' | 'already-gone'> {
      try {
        await call({ method: 'DELETE', path: `/api/v1/instances/blacklist/${machineId}`, schema: z.unknown() });
        return 'removed';
      } catch (err) {
        if (err instanceof NotFoundError) return 'already-gone';
        throw err;
      }
    },
  };
}
