/**
 * The snapshots feature's Dumont routes (under the API root), with Dumont's paths, bodies and `{error}` answers
 * (`reference/dumont-api.md` §6): create (and the instance alias), sync and its status, list, restore (the instance
 * id in the query), the partial restore extension, delete, keep-forever, retention policy, cleanup and its metrics.
 */
import { json, jsonBody, type SimRequest, type SimResponse } from '../../core/http/sim-http';
import { validationError } from '../../dumont/dumont-errors';
import type { SimInstance } from '../../instances/instance-record';
import type { FeatureContext, FeatureRoute } from '../types';
import {
  deleteSnapshot,
  policyFor,
  pruneCandidates,
  restoreSnapshot,
  SnapshotError,
  takeSnapshot,
} from './snapshot-engine';
import { listRow, type RetentionPolicy, type SnapshotRecord, type SnapshotsState } from './snapshot-store';

type Ctx = FeatureContext<SnapshotsState>;
type Route = FeatureRoute<SnapshotsState>;

const asIs = (ctx: Ctx): boolean => ctx.world.profile === 'dumont-as-is';

/** Runs `fn`, turning a {@link SnapshotError} into Dumont's `{error}` answer. */
async function guarded(fn: () => Promise<SimResponse> | SimResponse): Promise<SimResponse> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof SnapshotError) return json(err.status, { error: err.message });
    throw err;
  }
}

function intField(value: unknown, loc: string[]): number | SimResponse {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n === 'number' && Number.isInteger(n)) return n;
  return validationError([{ loc, msg: 'Input should be a valid integer', type: 'int_parsing' }]);
}

function instanceOf(ctx: Ctx, id: number): SimInstance | SimResponse {
  return ctx.world.instances.get(id) ?? json(404, { error: `Instance ${id} not found` });
}

const stringList = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

/** The snapshot an id names: the full id or a unique prefix of it (restic accepts short ids). */
function findSnapshot(state: SnapshotsState, id: string): SnapshotRecord | undefined {
  const hits = state.snapshots.filter((s) => s.id === id || (id.length >= 8 && s.id.startsWith(id)));
  return hits.length === 1 ? hits[0] : undefined;
}

async function create(ctx: Ctx, inst: SimInstance, body: Record<string, unknown>, alias: boolean) {
  const sourcePath = typeof body.source_path === 'string' ? body.source_path : '/workspace';
  const tags = stringList(body.tags);
  const type = body.type === 'incremental' ? 'incremental' : 'full';
  const { record, stats, durationSeconds } = await takeSnapshot(ctx.world, ctx.state, inst, {
    sourcePath,
    tags: alias ? [...tags, type] : tags,
  });
  const common = {
    success: true,
    snapshot_id: record.id,
    files_new: stats.files_new,
    files_changed: stats.files_changed,
  };
  return json(
    201,
    alias
      ? { ...common, instance_id: inst.id, type, data_added: stats.data_added }
      : {
          ...common,
          files_unmodified: stats.files_unmodified,
          total_files_processed: stats.total_files_processed,
          data_added: stats.data_added,
          total_bytes_processed: stats.total_bytes_processed,
          duration_seconds: Math.round(durationSeconds * 100) / 100,
        }
  );
}

function humanBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(1)} ${units[u]}`;
}

/** The snapshots `GET /snapshots` shows: all, but under the list defect each affected instance's oldest twice. */
function listed(ctx: Ctx): SnapshotRecord[] {
  const seen = new Set<number>();
  return ctx.state.snapshots.flatMap((s) => {
    const first = !seen.has(s.instanceId);
    seen.add(s.instanceId);
    return first && ctx.world.has('snapshot-list-duplicates', s.instanceLabel) ? [s, s] : [s];
  });
}

async function restore(req: SimRequest, ctx: Ctx, partial: boolean): Promise<SimResponse> {
  const id = intField(req.query.get('instance_id'), ['query', 'instance_id']);
  if (typeof id !== 'number') return id;
  const body = jsonBody(req);
  if (typeof body.snapshot_id !== 'string')
    return validationError([{ loc: ['body', 'snapshot_id'], msg: 'Field required', type: 'missing' }]);
  const inst = instanceOf(ctx, id);
  if (!('offer' in inst)) return inst;
  const record = findSnapshot(ctx.state, body.snapshot_id);
  if (!record) return json(404, { error: `Snapshot ${body.snapshot_id} not found` });
  const include = partial ? stringList(body.include) : undefined;
  if (partial && include!.length === 0)
    return validationError([{ loc: ['body', 'include'], msg: 'At least one path', type: 'too_short' }]);
  const targetPath = typeof body.target_path === 'string' ? body.target_path : '/workspace';
  return guarded(async () => {
    const done = await restoreSnapshot(ctx.world, record, inst, { targetPath, include });
    return json(200, {
      success: done.errors.length === 0,
      snapshot_id: record.id,
      target_path: targetPath,
      files_restored: done.files_restored,
      errors: done.errors,
      ...(partial ? { include } : {}),
    });
  });
}

function parsePolicy(body: Record<string, unknown>, base: RetentionPolicy): RetentionPolicy | SimResponse {
  const out = { ...base };
  for (const key of ['retention_days', 'min_snapshots_to_keep', 'max_snapshots_per_instance'] as const) {
    if (body[key] === undefined) continue;
    const n = body[key];
    const max = key === 'retention_days' ? 365 : 1000;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > max)
      return validationError([
        { loc: ['body', key], msg: `Input should be an integer in 0..${max}`, type: 'value_error' },
      ]);
    out[key] = n;
  }
  if (typeof body.cleanup_enabled === 'boolean') out.cleanup_enabled = body.cleanup_enabled;
  return out;
}

export const SNAPSHOT_ROUTES: readonly Route[] = [
  {
    method: 'POST',
    path: '/snapshots',
    handle: async (req, ctx) => {
      const body = jsonBody(req);
      const id = intField(body.instance_id, ['body', 'instance_id']);
      if (typeof id !== 'number') return id;
      const inst = instanceOf(ctx, id);
      if (!('offer' in inst)) return inst;
      return guarded(() => create(ctx, inst, body, false));
    },
  },
  {
    method: 'POST',
    path: '/instances/:id/snapshots',
    handle: async (req, ctx) => {
      const id = intField(req.params.id, ['path', 'instance_id']);
      if (typeof id !== 'number') return id;
      const inst = instanceOf(ctx, id);
      if (!('offer' in inst)) return inst;
      return guarded(() => create(ctx, inst, jsonBody(req), true));
    },
  },
  {
    method: 'POST',
    path: '/instances/:id/sync',
    handle: async (req, ctx) => {
      const id = intField(req.params.id, ['path', 'instance_id']);
      if (typeof id !== 'number') return id;
      const inst = instanceOf(ctx, id);
      if (!('offer' in inst)) return inst;
      const status = ctx.state.sync.get(id) ?? {
        lastSync: null,
        lastSnapshotId: null,
        syncCount: 0,
        isSyncing: false,
        lastStats: null,
        error: null,
      };
      ctx.state.sync.set(id, status);
      status.isSyncing = true;
      try {
        const sourcePath = req.query.get('source_path') ?? '/workspace';
        const tags = ['auto-sync', ...(inst.label ? [inst.label] : [])];
        const { record, stats, durationSeconds } = await takeSnapshot(ctx.world, ctx.state, inst, { sourcePath, tags });
        Object.assign(status, {
          lastSync: record.time,
          lastSnapshotId: record.id,
          syncCount: status.syncCount + 1,
          lastStats: stats,
          error: null,
        });
        return json(200, {
          success: true,
          instance_id: id,
          snapshot_id: record.id,
          files_new: stats.files_new,
          files_changed: stats.files_changed,
          files_unmodified: stats.files_unmodified,
          data_added: humanBytes(stats.data_added),
          data_added_bytes: stats.data_added,
          duration_seconds: Math.round(durationSeconds * 100) / 100,
          is_incremental: status.syncCount > 1,
          error: null,
        });
      } catch (err) {
        if (!(err instanceof SnapshotError)) throw err;
        status.error = err.message;
        return json(200, { success: false, instance_id: id, error: err.message });
      } finally {
        status.isSyncing = false;
      }
    },
  },
  {
    method: 'GET',
    path: '/instances/:id/sync/status',
    handle: (req, ctx) => {
      const id = intField(req.params.id, ['path', 'instance_id']);
      if (typeof id !== 'number') return id;
      const s = ctx.state.sync.get(id);
      const now = ctx.world.clock.platformNow();
      return json(200, {
        instance_id: id,
        synced: !!s?.lastSnapshotId,
        is_syncing: s?.isSyncing ?? false,
        last_sync: s?.lastSync ? new Date(s.lastSync * 1000).toISOString() : null,
        last_sync_ago: s?.lastSync ? `${Math.round(now - s.lastSync)}s ago` : null,
        last_snapshot_id: s?.lastSnapshotId ?? null,
        sync_count: s?.syncCount ?? 0,
        last_stats: s?.lastStats ?? null,
        error: s?.error ?? null,
      });
    },
  },
  {
    method: 'GET',
    path: '/snapshots',
    handle: (_req, ctx) => {
      const rows = listed(ctx).map(listRow);
      return json(200, { snapshots: rows, count: rows.length });
    },
  },
  { method: 'POST', path: '/snapshots/restore', handle: (req, ctx) => restore(req, ctx, false) },
  {
    // Extension (Dumont lacks a partial restore): see docs/platform-contract.md.
    method: 'POST',
    path: '/snapshots/restore/partial',
    handle: (req, ctx) => (asIs(ctx) ? json(404, { error: 'Not Found' }) : restore(req, ctx, true)),
  },
  {
    method: 'GET',
    path: '/snapshots/retention-policy',
    handle: (req, ctx) => {
      const raw = req.query.get('instance_id');
      if (raw === null) return json(200, ctx.state.globalPolicy);
      const id = intField(raw, ['query', 'instance_id']);
      if (typeof id !== 'number') return id;
      return json(200, { ...policyFor(ctx.state, id), instance_id: id });
    },
  },
  {
    method: 'PUT',
    path: '/snapshots/retention-policy',
    handle: (req, ctx) => {
      const body = jsonBody(req);
      if (body.instance_id === undefined || body.instance_id === null) {
        const p = parsePolicy(body, ctx.state.globalPolicy);
        if ('status' in p) return p;
        ctx.state.globalPolicy = { ...p, instance_id: null };
        return json(200, ctx.state.globalPolicy);
      }
      const id = intField(body.instance_id, ['body', 'instance_id']);
      if (typeof id !== 'number') return id;
      const p = parsePolicy(body, policyFor(ctx.state, id));
      if ('status' in p) return p;
      ctx.state.policies.set(id, { ...p, instance_id: id });
      return json(200, ctx.state.policies.get(id));
    },
  },
  {
    method: 'POST',
    path: '/snapshots/cleanup',
    handle: (req, ctx) => {
      const body = jsonBody(req);
      const dryRun = body.dry_run !== false;
      const scope = body.instance_id === undefined ? undefined : intField(body.instance_id, ['body', 'instance_id']);
      if (scope !== undefined && typeof scope !== 'number') return scope;
      const startedAt = ctx.world.clock.platformNow();
      const doomed = pruneCandidates(ctx.world, ctx.state, scope);
      let freed = 0;
      // Under prune-deletes-nothing a real cleanup deletes none of what it reports.
      const inert = scope !== undefined && doomed.some((s) => ctx.world.has('prune-deletes-nothing', s.instanceLabel));
      if (!dryRun && !inert) for (const s of doomed) freed += deleteSnapshot(ctx.world, ctx.state, s);
      else freed = doomed.reduce((sum, s) => sum + s.stats.data_added, 0);
      ctx.state.metrics.cleanups.push({
        at: startedAt,
        dryRun,
        deleted: dryRun ? 0 : doomed.length,
        freedBytes: freed,
      });
      return json(200, {
        success: true,
        dry_run: dryRun,
        snapshots_identified: doomed.length,
        snapshots_deleted: dryRun ? 0 : doomed.length,
        snapshots_failed: 0,
        identified_ids: doomed.map((s) => s.id),
        storage_freed_bytes: freed,
        storage_freed_mb: Math.round((freed / 1e6) * 100) / 100,
        started_at: new Date(startedAt * 1000).toISOString(),
        completed_at: new Date(ctx.world.clock.platformNow() * 1000).toISOString(),
        message: dryRun ? `${doomed.length} snapshot(s) would be deleted` : `${doomed.length} snapshot(s) deleted`,
      });
    },
  },
  {
    method: 'GET',
    path: '/snapshots/cleanup/metrics',
    handle: (_req, ctx) => {
      const real = ctx.state.metrics.cleanups.filter((c) => !c.dryRun);
      return json(200, {
        total_cleanups: ctx.state.metrics.cleanups.length,
        total_snapshots_deleted: real.reduce((n, c) => n + c.deleted, 0),
        total_storage_freed_bytes: real.reduce((n, c) => n + c.freedBytes, 0),
        snapshots_total: ctx.state.snapshots.length,
      });
    },
  },
  {
    method: 'POST',
    path: '/snapshots/:id/keep-forever',
    handle: (req, ctx) => {
      const record = findSnapshot(ctx.state, req.params.id);
      if (!record) return json(404, { error: `Snapshot ${req.params.id} not found` });
      const body = jsonBody(req);
      record.keepForever = body.keep_forever !== false;
      return json(200, {
        success: true,
        message: `Snapshot ${record.shortId} ${record.keepForever ? 'kept forever' : 'follows the retention policy'}`,
      });
    },
  },
  {
    method: 'DELETE',
    path: '/snapshots/:id',
    destroys: true,
    handle: (req, ctx) => {
      const record = findSnapshot(ctx.state, req.params.id);
      if (!record) return json(404, { error: `Snapshot ${req.params.id} not found` });
      deleteSnapshot(ctx.world, ctx.state, record);
      return json(200, { success: true, message: `Snapshot ${record.shortId} deleted` });
    },
  },
];
